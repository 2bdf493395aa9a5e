/**
 * The offline buffer: a durable store-and-forward log. {@link io.edgefn.buffer.OfflineBuffer#open} is
 * the entry point; {@link io.edgefn.buffer.Cursor} reads it. Acknowledged (completed) appends are on
 * disk and survive crashes and power cuts; see the module's README for the contract.
 */
package io.edgefn.buffer;
