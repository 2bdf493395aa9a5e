package io.edgefn.app.cli;

import io.edgefn.hub.identity.GatewayCertificates;
import io.edgefn.hub.identity.GatewayIdentity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgefn certs}: the gateway's TLS certificates. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "The gateway's TLS certificates (its CA, which devices trust).",
        subcommands = {CertsCommand.Export.class})
final class CertsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code edgefn certs export}: prints the CA certificate (PEM) for devices to trust. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Prints the gateway's CA certificate (PEM) for devices to trust, e.g. > gateway-ca.pem.",
                    "Creates the gateway's identity and certificates on first use."})
    static final class Export implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Option(names = "--hostname", paramLabel = "NAME",
                description = "The name devices reach the gateway by; changing it reissues the server certificate (same CA).")
        String hostname;

        @Override
        public Integer call() {
            Path dir = GatewaySetup.hostDataDir(dataDir);
            GatewayIdentity gateway = GatewaySetup.ensure(dir, null, hostname, System.err);
            GatewayCertificates certs = GatewaySetup.certificates(dir, gateway);
            System.out.print(certs.caPem());
            System.out.flush();
            return 0;
        }
    }
}
