/**
 * Fleet deployments through the broker the gateways already use upstream: the CLI publishes one
 * retained deployment ({@link io.edgefn.app.fleet.FleetRollout}), each gateway whose tags match
 * applies it ({@link io.edgefn.app.fleet.FleetAgent}) and reports its status, retained, on the
 * broker. The broker does the fan-out; there is no control plane of our own. See
 * docs/deployment.md "Fleets".
 */
package io.edgefn.app.fleet;
