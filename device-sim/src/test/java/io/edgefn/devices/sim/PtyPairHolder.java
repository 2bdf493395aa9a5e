package io.edgefn.devices.sim;

import java.nio.file.Path;

/**
 * A JVM that opens a {@link PtyPair} in the directory given as its argument, prints
 * {@code ready} and waits to be killed: the far side of {@link PtyPairIT}.
 */
final class PtyPairHolder {

    private PtyPairHolder() {
    }

    /** Opens the pair and blocks until standard input ends. */
    public static void main(String[] args) throws Exception {
        PtyPair pair = PtyPair.open(Path.of(args[0]));
        System.out.println("ready " + pair);
        System.out.flush();
        // Blocks until the test kills this JVM (or closes our input, which it never does first).
        while (System.in.read() >= 0) {
            // ignore
        }
        pair.close();
    }
}
