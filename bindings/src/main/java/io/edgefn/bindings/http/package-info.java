/**
 * The {@code HttpCall} binding: REST calls from functions on the Vert.x Web Client, with a
 * timeout per attempt, retries with exponential backoff and a CA to trust. {@link io.edgefn.bindings.http.HttpCalls}
 * is the entry type.
 */
package io.edgefn.bindings.http;
