package io.edgefn.index.json;

/**
 * A place in a text file: a 1-based line and column, or {@link #UNKNOWN} (both 0).
 *
 * @param line   the line, from 1; 0 when unknown
 * @param column the column, from 1; 0 when unknown
 */
public record Position(int line, int column) {

    /** The position of something whose place in the file is not known. */
    public static final Position UNKNOWN = new Position(0, 0);

    /** Whether this names a real place in the file. */
    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
