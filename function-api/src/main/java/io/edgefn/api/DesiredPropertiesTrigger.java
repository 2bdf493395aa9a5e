package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Triggers a method with each patch of the function's desired properties (its twin), after the
 * patch has been merged into its {@link FunctionContext#settings() settings}.
 *
 * <p>The patch binds like a message body — a {@code JsonNode}, a {@code String}, a record or POJO
 * — in JSON merge patch form ({@code null} removes a key); its version is the application property
 * {@value #VERSION_PROPERTY}. The method need not exist for settings to change: every invocation
 * reads the settings current when it starts. It runs like a routed message (retries, dead letter),
 * at most one such method per function.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DesiredPropertiesTrigger {

    /** The application property of the triggering message that holds the patch's {@code $version}. */
    String VERSION_PROPERTY = "edgefn-desired-version";
}
