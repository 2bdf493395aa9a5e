package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.hub.identity.ConnectionString;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.hub.identity.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgefn devices}: the leaf devices and modules allowed to connect to the gateway's MQTT
 * endpoint. Changes are picked up by a running host within a fraction of a second, no restart.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Adds, lists and removes the devices and modules that may connect to the gateway (also while its host runs).",
        subcommands = {DevicesCommand.Add.class, DevicesCommand.ListDevices.class, DevicesCommand.Remove.class})
final class DevicesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code edgefn devices add}: registers a device (or a module of the gateway) and prints its
     * connection string — one line on standard output, nothing else there; notes go to standard error.
     */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Registers a device (or, with --module, a module of the gateway) and prints its connection string "
                            + "on one line.",
                    "Creates the gateway's identity and certificates on first use."})
    static final class Add implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Parameters(index = "0", paramLabel = "ID", description = "The device id (with --module: the module id).")
        String id;

        @Option(names = "--module", description = "Register a module of the gateway (device id: the gateway's id).")
        boolean module;

        @Option(names = "--x509-thumbprint", paramLabel = "HEX",
                description = "Authenticate with an X.509 certificate of this SHA-1 or SHA-256 thumbprint (or of a CA with it) instead of SAS keys.")
        String thumbprint;

        @Option(names = "--hostname", paramLabel = "NAME",
                description = "The name devices reach the gateway by (GatewayHostName); changing it reissues the server certificate.")
        String hostname;

        @Option(names = "--gateway-id", paramLabel = "ID",
                description = "The gateway's device id on first use (default: the one recorded, else this machine's hostname).")
        String gatewayId;

        @Override
        public Integer call() {
            Path dir = GatewaySetup.hostDataDir(dataDir);
            GatewayIdentity gateway = GatewaySetup.ensure(dir, gatewayId, hostname, System.err);
            Identity added = DeviceRegistry.open(dir).add(module ? gateway.gatewayId() : id, module ? id : null, thumbprint);
            System.err.println("added " + added.kind() + " " + added.clientId() + " (" + added.authType() + ")"
                    + (added.isX509() ? "; devices must trust " + dir.resolve("identity/certs/ca.pem") : ""));
            System.out.println(ConnectionString.forIdentity(gateway, added));
            return 0;
        }
    }

    /** {@code edgefn devices list}: ids, kind, authentication and creation time; never keys. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the registered devices and modules: id, kind, authentication, created (no keys).")
    static final class ListDevices implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Path dir = GatewaySetup.hostDataDir(dataDir);
            List<Identity> identities = Files.isDirectory(dir) ? DeviceRegistry.open(dir).list() : List.of();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ArrayNode array = mapper.createArrayNode();
                for (Identity i : identities) {
                    ObjectNode node = array.addObject();
                    node.put("deviceId", i.deviceId());
                    node.put("moduleId", i.moduleId());
                    node.put("kind", i.kind());
                    node.put("auth", i.authType());
                    node.put("x509Thumbprint", i.x509Thumbprint());
                    node.put("createdAt", i.createdAt().toString());
                }
                System.out.println(mapper.writeValueAsString(array));
                return 0;
            }
            if (identities.isEmpty()) {
                System.out.println("no devices or modules registered in " + dir);
                return 0;
            }
            System.out.printf("%-40s %-7s %-5s %s%n", "ID", "KIND", "AUTH", "CREATED");
            for (Identity i : identities) {
                System.out.printf("%-40s %-7s %-5s %s%n", i.clientId(), i.kind(), i.authType(), i.createdAt());
            }
            return 0;
        }
    }

    /** {@code edgefn devices remove}: unregisters a device or module; exit status 1 if it was not registered. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Unregisters a device (or, with --module, a module of the gateway); a running host refuses it from then on.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Parameters(index = "0", paramLabel = "ID", description = "The device id (with --module: the module id).")
        String id;

        @Option(names = "--module", description = "Remove a module of the gateway.")
        boolean module;

        @Override
        public Integer call() {
            Path dir = GatewaySetup.hostDataDir(dataDir);
            String what = (module ? "module " : "device ") + id;
            GatewayIdentity gateway = Files.isDirectory(dir) ? GatewayIdentity.load(dir).orElse(null) : null;
            if (module && gateway == null) {
                System.err.println("edgefn devices remove: no " + what + " in " + dir + " (it has no gateway identity)");
                return 1;
            }
            boolean removed = Files.isDirectory(dir)
                    && DeviceRegistry.open(dir).remove(module ? gateway.gatewayId() : id, module ? id : null);
            if (!removed) {
                System.err.println("edgefn devices remove: no " + what + " is registered in " + dir);
                return 1;
            }
            System.err.println("removed " + what);
            return 0;
        }
    }
}
