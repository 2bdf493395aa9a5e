package io.edgefn.index.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found while checking one JSON document, each placed at the line and column of the
 * path it is about.
 *
 * <p>Checkers add every problem they find and carry on; the caller throws once at the end. Owned
 * by the one thread checking the document.
 */
public final class Problems {

    private final LocatedJson json;
    private final List<Problem> problems = new ArrayList<>();

    /** Problems placed in {@code json}, starting with one for each of its duplicate keys. */
    public Problems(LocatedJson json) {
        this(json, true);
    }

    /** Problems placed in {@code json}, starting with its duplicate keys when {@code withDuplicates}. */
    public Problems(LocatedJson json, boolean withDuplicates) {
        this.json = json;
        for (LocatedJson.DuplicateKey d : withDuplicates ? json.duplicateKeys() : List.<LocatedJson.DuplicateKey>of()) {
            add(d.path(), d.again(), "duplicate key '" + d.key() + "' " + where(d.parent())
                    + (d.first().known() ? " (first written at " + d.first() + ")" : "")
                    + "; only the first is used");
        }
    }

    /** Adds a problem about the value at {@code path}. */
    public void at(String path, String message) {
        add(path, json.valueAt(path), message);
    }

    /** Adds a problem about the key of {@code path} (an unknown or misplaced key). */
    public void atKey(String path, String message) {
        add(path, json.keyAt(path), message);
    }

    /** Adds a problem for each key of the object at {@code path} that is not in {@code known}. */
    public void unknownKeys(ObjectNode object, String path, Collection<String> known) {
        for (String key : (Iterable<String>) object::fieldNames) {
            if (!known.contains(key)) {
                String hint = KeySuggestions.closest(key, known)
                        .map(k -> "; did you mean '" + k + "'?")
                        .orElseGet(() -> "; known keys are " + String.join(", ", known));
                atKey(LocatedJson.child(path, key), "unknown key '" + key + "' " + where(path) + hint);
            }
        }
    }

    /** Whether no problem has been added. */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem, ordered by where it is in the file (those without a place last). */
    public List<Problem> sorted() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt((Problem p) -> p.line() > 0 ? p.line() : Integer.MAX_VALUE)
                .thenComparingInt(Problem::column));
        return sorted;
    }

    /** "at top level" for the root, otherwise "in {path}". */
    public static String where(String path) {
        return path.isEmpty() ? "at top level" : "in " + path;
    }

    private void add(String path, Position position, String message) {
        problems.add(new Problem(path, position.line(), position.column(), message));
    }
}
