package io.edgefn.app.cli;

import io.edgefn.hub.identity.GatewayCertificates;
import io.edgefn.hub.identity.GatewayIdentity;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * What {@code edgefn devices add} and {@code edgefn certs export} do first: make sure the data
 * directory has the gateway's identity and certificates, creating them on first need, and say on
 * standard error what was made. Works beside a running host: it takes only {@code identity/.lock},
 * never the data directory's {@code lock}.
 */
final class GatewaySetup {
    private GatewaySetup() {
    }

    /**
     * The host data directory the identity belongs in: the directory named, or a demo's
     * {@code host/} inside it (as {@code status} finds it). A directory that does not exist yet is
     * used as named.
     */
    static Path hostDataDir(DataDirOption option) {
        Path dir = option.resolve();
        return Files.isDirectory(dir) ? HostDataDir.find(dir).host() : dir;
    }

    /** The recorded gateway identity (creating it and the certificates if needed), with notes to {@code notes}. */
    static GatewayIdentity ensure(Path dataDir, String gatewayIdOrNull, String hostnameOrNull, PrintStream notes) {
        Optional<GatewayIdentity> recorded = GatewayIdentity.load(dataDir);
        if (recorded.isPresent() && gatewayIdOrNull != null && !gatewayIdOrNull.equals(recorded.get().gatewayId())) {
            throw new IllegalArgumentException("the gateway id of " + dataDir + " is " + recorded.get().gatewayId()
                    + " (recorded in " + GatewayIdentity.file(dataDir) + "), not " + gatewayIdOrNull
                    + "; leave out --gateway-id or use another --data-dir");
        }
        GatewayIdentity identity = GatewayIdentity.loadOrCreate(dataDir,
                gatewayIdOrNull != null ? gatewayIdOrNull : RunCommand.defaultGatewayId(), hostnameOrNull);
        if (recorded.isEmpty()) {
            notes.println("created the gateway identity " + identity.gatewayId() + " (hostname " + identity.hostname()
                    + ", hub " + identity.hubHostName() + ") in " + GatewayIdentity.file(dataDir));
        } else if (!recorded.get().hostname().equals(identity.hostname())) {
            notes.println("the gateway's hostname is now " + identity.hostname() + " (was " + recorded.get().hostname() + ")");
        }
        // What it creates or reissues, it logs (to standard error).
        GatewayCertificates.loadOrCreate(dataDir, identity, InstantSource.system());
        return identity;
    }

    /** The certificates, after {@link #ensure}. */
    static GatewayCertificates certificates(Path dataDir, GatewayIdentity identity) {
        return GatewayCertificates.loadOrCreate(dataDir, identity, InstantSource.system());
    }
}
