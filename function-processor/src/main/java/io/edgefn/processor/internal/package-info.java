/**
 * Service implementations that Micronaut's processing loads by {@link java.util.ServiceLoader};
 * not an API.
 */
package io.edgefn.processor.internal;
