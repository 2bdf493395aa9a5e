/**
 * The implementation of the offline buffer: segmented per-priority logs ({@code BandLog}), the
 * group-commit writer ({@link io.edgefn.buffer.internal.LogWriter}), cursors and their checkpoints,
 * and the file layer ({@link io.edgefn.buffer.internal.Storage}) a power-loss simulation replaces in
 * tests. Not an API: it changes without notice.
 */
package io.edgefn.buffer.internal;
