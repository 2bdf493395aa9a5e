package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link State} store a parameter binds: {@code @StateStore("baselines") State<Baseline>}.
 * A function may have several stores; methods that name the same store share it and must give it
 * the same element type. The host keeps a store in its data directory, under
 * {@code state/<function>/<store>.log}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface StateStore {

    /** The store's name: letters, digits, {@code -} and {@code _}, at most 64 characters. */
    String value();
}
