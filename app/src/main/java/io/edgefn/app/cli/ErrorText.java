package io.edgefn.app.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;

/**
 * A failure as the command line shows it: in words a user knows, never with a Java exception's
 * class name ({@code java.nio.file.NoSuchFileException: /x} becomes {@code there is no such file:
 * /x}). Stateless.
 */
final class ErrorText {

    /** A class name a wrapped exception's {@code toString()} puts in front of its message. */
    private static final Pattern CLASS_PREFIX =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ");

    private ErrorText() {
    }

    /** What went wrong, for the line {@code edgefn COMMAND: …}. */
    static String of(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return of(e.getCause());
        }
        if (e instanceof NoSuchFileException n) {
            return "there is no such file: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be used");
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "an internal error stopped the command (set EDGEFN_DEBUG=1 to see where)";
        }
        return CLASS_PREFIX.matcher(message).replaceAll("");
    }
}
