package io.edgefn.index.json;

/**
 * One thing wrong with a deployment document or a function index: where it is and what is wrong.
 *
 * @param location the JSON path of the offending key or value, e.g. {@code routes.alerts.priority}
 *                 or {@code packages.pump.sha256}; empty for the document as a whole
 * @param line     the 1-based line in the file, or 0 when not known
 * @param column   the 1-based column in the file, or 0 when not known
 * @param message  what is wrong, in words a person can act on
 */
public record Problem(String location, int line, int column, String message) {

    /** The problem as one line: {@code line:column: location: message}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (line > 0) {
            s.append(line).append(':').append(column).append(": ");
        }
        if (!location.isEmpty()) {
            s.append(location).append(": ");
        }
        return s.append(message).toString();
    }
}
