package io.edgefn.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code edgefn sign} does to a deployment file: fills in each local package's
 * {@code sha256} from its jar, then signs the whole document and writes the signature into it —
 * the file is replaced atomically, so a reader sees the old document or the signed one. The
 * deployment must be valid first; a {@code url} package must already declare its hash (its jar is
 * not fetched to sign).
 *
 * <p>Stateless and thread-safe; two signers of one file at once: the last rename wins whole.
 */
public final class DeploymentSigner {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DeploymentSigner() {
    }

    /**
     * What signing did.
     *
     * @param keyId        the signer's key id
     * @param hashedPackages the packages whose {@code sha256} was filled in or corrected
     */
    public record Signed(String keyId, List<String> hashedPackages) {
    }

    /**
     * Signs the deployment in {@code file} with {@code key}, whose public half is {@code publicKey}.
     *
     * @throws DeploymentException when the deployment is invalid or a package file cannot be read
     * @throws IOException         when the file cannot be replaced
     */
    public static Signed sign(Path file, PrivateKey key, PublicKey publicKey) throws IOException {
        Deployment deployment = Deployment.read(file);
        ObjectNode document = deployment.document();
        List<String> hashed = new ArrayList<>();
        for (PackageRef ref : deployment.packages().values()) {
            if (ref.file() == null) {
                continue;
            }
            String actual;
            try {
                actual = FunctionPackage.sha256(deployment.resolve(ref), ref.file(), PackageJar.Limits.DEFAULT.maxFileBytes());
            } catch (PackageException e) {
                throw new DeploymentException(deployment.origin(), List.of(new io.edgefn.index.json.Problem(
                        "packages." + ref.name() + ".file", 0, 0, e.getMessage())));
            }
            if (!actual.equals(ref.sha256())) {
                ((ObjectNode) document.path("packages").path(ref.name())).put("sha256", actual);
                hashed.add(ref.name());
            }
        }
        String keyId = SigningKeys.keyId(publicKey);
        DeploymentSignature signature = DeploymentSignature.sign(document, key, keyId);
        if (!signature.verifies(document, publicKey)) {
            throw new IllegalArgumentException("the private key does not belong to public key " + keyId);
        }
        document.set(DeploymentSignature.MEMBER, signature.toJson());
        Path absolute = file.toAbsolutePath();
        Path tmp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, (JSON.writeValueAsString(document) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Signed(keyId, hashed);
    }
}
