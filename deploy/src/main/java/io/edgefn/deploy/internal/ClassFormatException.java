package io.edgefn.deploy.internal;

import java.io.Serial;

/** A class file that does not follow the class file format: truncated, garbage, or inconsistent. */
public final class ClassFormatException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A class file problem described by {@code message}, which says where it is. */
    public ClassFormatException(String message) {
        super(message);
    }
}
