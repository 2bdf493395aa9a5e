package io.edgefn.runtime.internal;

import io.edgefn.index.HttpPath;
import java.util.List;

/**
 * One path an {@code @HttpTrigger} method of a function serves. Immutable.
 *
 * @param path    the path below {@code /fn/<function>/}
 * @param methods the HTTP methods it takes, upper case
 * @param method  the bound method
 */
record HttpRoute(HttpPath path, List<String> methods, BoundMethod method) {
}
