package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, signing, trust and package hashes: every way a deployment is accepted or refused. */
class DeploymentSigningTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path keys;
    Path gateway;
    Path deployment;
    PublicKey publicKey;

    @BeforeEach
    void setUp() throws IOException {
        keys = dir.resolve("keys");
        gateway = dir.resolve("gateway");
        publicKey = SigningKeys.generate(keys);
        Files.createDirectories(dir.resolve("packages"));
        Files.write(dir.resolve("packages/pump.jar"), "pretend jar bytes".getBytes(StandardCharsets.UTF_8));
        deployment = dir.resolve("deployment.json");
        Files.writeString(deployment, """
                {"schemaVersion": "edgefn/1", "version": "1",
                 "packages": {"pump": {"file": "packages/pump.jar", "settings": {"anomaly-detector": {"zThreshold": 4.5}}}},
                 "modules": {"historian": {"inputs": ["in"]}},
                 "routes": {"r": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/historian/inputs/in\\")"}}
                """);
    }

    private DeploymentSigner.Signed sign() throws IOException {
        return DeploymentSigner.sign(deployment, SigningKeys.readPrivate(keys.resolve("signing.key")), publicKey);
    }

    private TrustedKeys trustingOurKey() throws IOException {
        return TrustedKeys.of(gateway).add(SigningKeys.readPublic(keys.resolve("signing.pub")));
    }

    @Test
    void keysAreWrittenAsPemTheOwnerAloneMayReadTheirPrivateHalf() throws IOException {
        assertThat(Files.readString(keys.resolve("signing.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(keys.resolve("signing.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("signing.key"))))
                .isEqualTo("rw-------");
        assertThat(SigningKeys.keyId(SigningKeys.readPublic(keys.resolve("signing.pub")))).isEqualTo(SigningKeys.keyId(publicKey))
                .matches("ed25519:[0-9a-f]{16}");
        assertThatThrownBy(() -> SigningKeys.generate(keys)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("never overwritten");
        assertThatThrownBy(() -> SigningKeys.readPublic(keys.resolve("signing.key")))
                .hasMessageContaining("holds a PRIVATE KEY, not a PUBLIC KEY");
    }

    @Test
    void signingFillsInEveryPackageHashAndTheTrustedGatewayRunsIt() throws IOException {
        DeploymentSigner.Signed signed = sign();
        assertThat(signed.hashedPackages()).containsExactly("pump");
        Deployment d = Deployment.read(deployment);
        assertThat(d.packages().get("pump").sha256()).hasSize(64);
        assertThat(d.signature().keyId()).isEqualTo(SigningKeys.keyId(publicKey));
        PackageHashes.verify(d);
        SignaturePolicy.Verdict verdict = SignaturePolicy.check(d, trustingOurKey(), false);
        assertThat(verdict.signedBy()).isEqualTo(SigningKeys.keyId(publicKey));
        assertThat(verdict.warning()).isNull();
    }

    @Test
    void layoutAndMemberOrderDoNotMatterOnlyContentDoes() throws IOException {
        sign();
        ObjectNode doc = (ObjectNode) JSON.readTree(deployment.toFile());
        ObjectNode reordered = JSON.createObjectNode();
        for (String name : new String[]{"signature", "routes", "modules", "packages", "version", "schemaVersion"}) {
            reordered.set(name, doc.get(name));
        }
        Files.writeString(deployment, JSON.writeValueAsString(reordered)); // one line, new order
        assertThat(SignaturePolicy.check(Deployment.read(deployment), trustingOurKey(), false).signedBy()).isNotNull();
    }

    @Test
    void aChangeAfterSigningIsRefused() throws IOException {
        sign();
        Files.writeString(deployment, Files.readString(deployment).replace("4.5", "45"));
        Deployment tampered = Deployment.read(deployment);
        assertThatThrownBy(() -> SignaturePolicy.check(tampered, trustingOurKey(), false))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("does not match its content");
        assertThatThrownBy(() -> SignaturePolicy.check(tampered, trustingOurKey(), true))
                .as("--allow-unsigned never lets a bad signature through")
                .hasMessageContaining("does not match its content");
    }

    @Test
    void aPackageJarChangedAfterSigningRefusesTheWholeDeployment() throws IOException {
        sign();
        Files.write(dir.resolve("packages/pump.jar"), "other bytes".getBytes(StandardCharsets.UTF_8));
        Deployment d = Deployment.read(deployment);
        assertThat(SignaturePolicy.check(d, trustingOurKey(), false).signedBy()).as("the document itself is intact").isNotNull();
        assertThatThrownBy(() -> PackageHashes.verify(d))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("packages.pump.sha256")
                .hasMessageContaining("the whole deployment is refused");
    }

    @Test
    void unsignedIsRefusedByAGatewayThatTrustsAKeyUnlessAllowedWithAWarning() throws IOException {
        Deployment d = Deployment.read(deployment);
        TrustedKeys trusted = trustingOurKey();
        assertThatThrownBy(() -> SignaturePolicy.check(d, trusted, false))
                .hasMessageContaining("it is not signed").hasMessageContaining(SigningKeys.keyId(publicKey))
                .hasMessageContaining("--allow-unsigned");
        SignaturePolicy.Verdict allowed = SignaturePolicy.check(d, trusted, true);
        assertThat(allowed.signedBy()).isNull();
        assertThat(allowed.warning()).contains("NOT SIGNED").contains("--allow-unsigned");
        assertThat(SignaturePolicy.check(d, TrustedKeys.of(gateway.resolve("none")), false).warning())
                .as("a gateway that trusts no key runs unsigned deployments quietly").isNull();
    }

    @Test
    void aSignatureByAKeyTheGatewayDoesNotTrustIsRefused() throws IOException {
        sign();
        Deployment d = Deployment.read(deployment);
        PublicKey other = SigningKeys.generate(dir.resolve("other"));
        TrustedKeys trustsOther = TrustedKeys.of(gateway).add(other);
        assertThatThrownBy(() -> SignaturePolicy.check(d, trustsOther, false))
                .hasMessageContaining("which this gateway does not trust").hasMessageContaining(SigningKeys.keyId(other));
        assertThatThrownBy(() -> SignaturePolicy.check(d, TrustedKeys.of(dir.resolve("nobody")), false))
                .as("a signature is never ignored, even where no key is trusted")
                .hasMessageContaining("trusts no key, so it cannot check the signature");
    }

    @Test
    void aSignatureOfAnotherDocumentIsRefused() throws IOException {
        sign();
        ObjectNode signedDoc = (ObjectNode) JSON.readTree(deployment.toFile());
        ObjectNode forged = Deployment.read(deployment).document();
        forged.put("version", "2");
        forged.set("signature", signedDoc.get("signature"));
        Files.writeString(deployment, JSON.writeValueAsString(forged));
        assertThatThrownBy(() -> SignaturePolicy.check(Deployment.read(deployment), trustingOurKey(), false))
                .hasMessageContaining("does not match its content");
    }

    @Test
    void malformedSignaturesAndPerPackageSignaturesAreNamed() throws IOException {
        assertThatThrownBy(() -> Deployment.parse("""
                {"signature": {"algorithm": "RSA", "keyId": "abc", "value": "xyz"}, "routes": {}}
                """.getBytes(StandardCharsets.UTF_8), "d.json"))
                .hasMessageContaining("signature.algorithm").hasMessageContaining("'RSA' is not supported")
                .hasMessageContaining("signature.keyId").hasMessageContaining("signature.value");
        assertThatThrownBy(() -> Deployment.parse("""
                {"packages": {"p": {"file": "p.jar", "signature": "sig"}}, "routes": {}}
                """.getBytes(StandardCharsets.UTF_8), "d.json"))
                .hasMessageContaining("packages.p.signature").hasMessageContaining("`edgefn sign` signs the whole deployment");
    }

    @Test
    void aSignedDeploymentNeedsEveryPackageHash() throws IOException {
        sign();
        ObjectNode doc = Deployment.read(deployment).document();
        ((ObjectNode) doc.path("packages").path("pump")).remove("sha256");
        Files.writeString(deployment, JSON.writeValueAsString(doc));
        // Re-signed without the hash: the signature is good but does not cover the jar.
        ObjectNode unsigned = Deployment.read(deployment).document();
        unsigned.remove("signature");
        DeploymentSignature s = DeploymentSignature.sign(unsigned, SigningKeys.readPrivate(keys.resolve("signing.key")),
                SigningKeys.keyId(publicKey));
        unsigned.set("signature", s.toJson());
        Files.writeString(deployment, JSON.writeValueAsString(unsigned));
        assertThatThrownBy(() -> SignaturePolicy.check(Deployment.read(deployment), trustingOurKey(), false))
                .hasMessageContaining("package 'pump' has no 'sha256'");
    }
}
