/**
 * JSON read with line:column positions, shared by the index and deployment readers.
 *
 * <p>{@link io.edgefn.index.json.LocatedJson} parses a document into a Jackson tree and remembers
 * where every value and key was written; {@link io.edgefn.index.json.Problems} collects what a
 * checker finds wrong, each {@link io.edgefn.index.json.Problem} placed at its path's line and
 * column; {@link io.edgefn.index.json.Fields} reads typed fields and reports wrong ones;
 * {@link io.edgefn.index.json.KeySuggestions} finds the key a typo meant.
 *
 * <p>A checker reads the whole document, adds every problem and carries on, and its caller throws
 * once at the end with all of them: a person fixes a file in one pass, not one error at a time.
 */
package io.edgefn.index.json;
