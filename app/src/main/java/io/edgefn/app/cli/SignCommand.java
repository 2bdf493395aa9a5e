package io.edgefn.app.cli;

import io.edgefn.deploy.DeploymentSigner;
import io.edgefn.deploy.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgefn sign --key FILE DEPLOYMENT}. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Fills in each local package's sha256 and signs the whole deployment (routes, settings, devices,"
                + " every package's hash) with an Ed25519 key, writing the signature into the file.",
                "The public key is read from beside the private one (signing.key -> signing.pub)."})
final class SignCommand implements Callable<Integer> {

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The private key (signing.key).")
    Path key;

    @Parameters(index = "0", paramLabel = "DEPLOYMENT", description = "The deployment file, rewritten in place.")
    Path deployment;

    @Override
    public Integer call() throws Exception {
        Path publicFile = publicKeyBeside(key);
        DeploymentSigner.Signed signed = DeploymentSigner.sign(deployment, SigningKeys.readPrivate(key),
                SigningKeys.readPublic(publicFile));
        if (!signed.hashedPackages().isEmpty()) {
            System.err.println("sha256 filled in for package(s) " + String.join(", ", signed.hashedPackages()));
        }
        System.out.println("signed " + deployment + " with " + signed.keyId());
        return 0;
    }

    private static Path publicKeyBeside(Path privateKey) {
        String name = privateKey.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        Path pub = privateKey.resolveSibling(base + ".pub");
        if (!Files.isRegularFile(pub)) {
            throw new IllegalArgumentException("there is no " + pub + ": the public key must lie beside the private one"
                    + " (edgefn keys generate writes both)");
        }
        return pub;
    }
}
