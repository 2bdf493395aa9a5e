/**
 * The gateway's identity: its device id and hostnames ({@link io.edgefn.hub.identity.GatewayIdentity}),
 * its CA and server certificates ({@link io.edgefn.hub.identity.GatewayCertificates}), the leaf devices
 * and modules allowed to connect ({@link io.edgefn.hub.identity.DeviceRegistry}), SAS tokens, connection
 * strings, and the {@link io.edgefn.hub.identity.Authenticator} the MQTT server asks on CONNECT.
 *
 * <p>Everything lives under {@code {dataDir}/identity/}, changed under the lock {@code identity/.lock}
 * (never the data directory's {@code lock}, which a running host holds). Errors are
 * {@link io.edgefn.hub.identity.IdentityException}s; no message or log line holds a key or a signature.
 */
package io.edgefn.hub.identity;
