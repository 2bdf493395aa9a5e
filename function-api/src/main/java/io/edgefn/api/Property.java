package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to one application property of the triggering message (names compare
 * case-insensitively, as in routes). The parameter is a {@code String}, or
 * {@code Optional<String>}; a missing property binds {@code null} or {@code Optional.empty()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Property {

    /** The application property's name. */
    String value();
}
