package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the output a value goes to.
 *
 * <p>On a method, its return value is sent to that output (a {@code null} return sends nothing).
 * On an {@link Output} parameter, everything the method passes to {@link Output#send} goes there.
 * An output {@code anomalies} of function {@code detector} is the route source
 * {@code /messages/modules/detector/outputs/anomalies}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER})
public @interface SendTo {

    /** The output's name: a valid identifier (letters, digits, {@code -}, {@code _}). */
    String value();
}
