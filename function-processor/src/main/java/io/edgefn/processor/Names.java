package io.edgefn.processor;

import java.util.regex.Pattern;

/** The naming rules of functions, inputs and outputs, as routes address them. Stateless. */
final class Names {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    /** What an invalid identifier should look like, for error messages. */
    static final String IDENTIFIER_RULE = "a letter, then letters, digits, '-' or '_'";

    /** What an invalid function name should look like, for error messages. */
    static final String FUNCTION_NAME_RULE = "a letter, then letters, digits, '-', '_' or '.'";

    private Names() {
    }

    /** Whether {@code name} is a valid input or output name. */
    static boolean isIdentifier(String name) {
        return IDENTIFIER.matcher(name).matches();
    }

    /** Whether {@code name} is a valid function name. */
    static boolean isFunctionName(String name) {
        return FUNCTION_NAME.matcher(name).matches();
    }
}
