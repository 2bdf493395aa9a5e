package io.edgefn.hub.identity;

/**
 * IoT Hub's rules for device and module ids, checked where an id enters the gateway.
 *
 * <p>An id is 1 to 128 ASCII letters, digits and {@code - . % _ * ? ! ( ) , : = @ $ '}. IoT Hub
 * also allows {@code +} and {@code #}; the gateway does not, because they are MQTT's topic
 * wildcards and every id appears in topic names.
 */
final class Ids {
    /** The longest id IoT Hub accepts. */
    static final int MAX_LENGTH = 128;
    private static final String SPECIALS = "-.%_*?!(),:=@$'";

    private Ids() {
    }

    /** Whether {@code id} is a valid device or module id. */
    static boolean isValid(String id) {
        return id != null && problem(id) == null;
    }

    /**
     * Checks a device or module id.
     *
     * @param what how to name the id in the message ("device id", "module id", "gateway id")
     * @throws IdentityException naming what is wrong with it
     */
    static String require(String id, String what) {
        String problem = problem(id);
        if (problem != null) {
            throw new IdentityException("invalid " + what + " " + quote(id) + ": " + problem);
        }
        return id;
    }

    private static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "it is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "it is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || SPECIALS.indexOf(c) >= 0;
            if (!ok) {
                return "character " + describe(c) + " at position " + (i + 1)
                        + " is not allowed (use letters, digits and " + SPECIALS + ")";
            }
        }
        return null;
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** The id quoted for a message, shortened if very long. */
    static String quote(String id) {
        if (id == null) {
            return "(none)";
        }
        return "\"" + (id.length() > 140 ? id.substring(0, 140) + "…" : id) + "\"";
    }
}
