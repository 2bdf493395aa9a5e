package io.edgefn.hub.twin;

/**
 * A snapshot of {@link DeviceManagement}'s counters.
 *
 * @param connected            identities connected with a channel
 * @param targets              registered {@link ManagedTarget}s
 * @param reportedPatches      reported patches applied
 * @param desiredPatches       desired patches applied
 * @param staleDesiredPatches  desired patches ignored: not newer than the twin's version
 * @param methodsInvoked       method calls made
 * @param methodsTimedOut      method calls answered 504
 * @param methodsPending       method calls waiting for an answer
 * @param c2dWaiting           cloud-to-device messages waiting or in flight
 * @param c2dDelivered         cloud-to-device messages acknowledged by their device
 * @param c2dDroppedFull       cloud-to-device messages dropped from a full queue (oldest first)
 * @param c2dExpired           cloud-to-device messages whose time to live ran out
 */
public record ManagementStats(int connected, int targets, long reportedPatches, long desiredPatches,
                              long staleDesiredPatches, long methodsInvoked, long methodsTimedOut, int methodsPending,
                              int c2dWaiting, long c2dDelivered, long c2dDroppedFull, long c2dExpired) {
}
