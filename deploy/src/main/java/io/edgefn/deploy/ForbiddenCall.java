package io.edgefn.deploy;

/**
 * A call in a function package's bytecode that could take the whole host down, such as
 * {@code System.exit}.
 *
 * @param entry     the jar entry holding the class, e.g. {@code com/example/Evil.class}
 * @param className the calling class's binary name, e.g. {@code com.example.Evil}
 * @param method    the calling method's name and descriptor, e.g. {@code run()V}
 * @param call      the method called, e.g. {@code java.lang.System.exit(I)V}
 * @param via       how it is called: {@code invokestatic}, {@code invokevirtual}, or
 *                  {@code invokedynamic (method handle)} for a method reference like
 *                  {@code System::exit}
 */
public record ForbiddenCall(String entry, String className, String method, String call, String via) {

    /** The call as one line: {@code com.example.Evil.run()V calls java.lang.System.exit(I)V (invokestatic)}. */
    @Override
    public String toString() {
        return className + "." + method + " calls " + call + " (" + via + ")";
    }
}
