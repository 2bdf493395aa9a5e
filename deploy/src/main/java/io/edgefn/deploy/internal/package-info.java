/**
 * Internals of {@code edgefn-deploy}: a reader of the class file format for the bytecode scanner.
 * Not an API: other modules use {@link io.edgefn.deploy.Deployment},
 * {@link io.edgefn.deploy.FunctionPackage} and their companions, and these types may change
 * without notice. (JSON with positions is {@code io.edgefn.index.json}, shared with the function
 * index reader.)
 */
package io.edgefn.deploy.internal;
