/**
 * Internals of {@code edgefn-deploy}: a JSON tree that remembers where each value was written, key
 * suggestions for typos, and a reader of the class file format. Not an API: other modules use
 * {@link io.edgefn.deploy.Deployment}, {@link io.edgefn.deploy.FunctionPackage} and their
 * companions, and these types may change without notice.
 */
package io.edgefn.deploy.internal;
