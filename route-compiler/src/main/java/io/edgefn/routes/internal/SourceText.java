package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;

/** A text being compiled, turning offsets into 1-based line and column positions. Immutable. */
final class SourceText {

    private final String text;
    private final int[] lineStarts;

    SourceText(String text) {
        this.text = text;
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        lineStarts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineStarts[line++] = i + 1;
            }
        }
    }

    String text() {
        return text;
    }

    int line(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    /** A diagnostic covering {@code [start, end)}; an empty range is widened to one column. */
    Diagnostic diagnostic(Diagnostic.Severity severity, Diagnostic.Phase phase, String message, int start, int end) {
        int s = Math.max(0, Math.min(start, text.length()));
        int e = Math.max(s, Math.min(end, text.length()));
        int line = line(s);
        int column = column(s);
        int endLine = line(e);
        int endColumn = column(e);
        if (e == s) {
            endColumn = column + 1;
            endLine = line;
        }
        return new Diagnostic(severity, null, phase, message, line, column, endLine, endColumn);
    }

    Diagnostic error(Diagnostic.Phase phase, String message, int start, int end) {
        return diagnostic(Diagnostic.Severity.ERROR, phase, message, start, end);
    }
}
