package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@code String} parameter of an {@link HttpTrigger} method to one path parameter of its
 * path, decoded: {@code @PathParam("pumpId")} for {@code "state/{pumpId}"}. The name must be one
 * of the path's parameters (checked at compile time).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PathParam {

    /** The path parameter's name, as written in braces in the path. */
    String value();
}
