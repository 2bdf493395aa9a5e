package io.edgefn.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * A deployment's {@code signature}: an Ed25519 signature, by the key {@code keyId}, over the
 * canonical JSON ({@link CanonicalJson}) of the whole document without its {@code signature}
 * member — routes, settings, devices, desired properties and every package's {@code sha256}, so a
 * signature covers the package jars through their hashes. Written by {@code edgefn sign}:
 *
 * <pre>{@code "signature": {"algorithm": "Ed25519", "keyId": "ed25519:3f2a9c0d5e6b7a81", "value": "<Base64>"}}</pre>
 *
 * Immutable.
 *
 * @param algorithm always {@link SigningKeys#ALGORITHM}
 * @param keyId     the signer's key id ({@link SigningKeys#keyId})
 * @param value     the signature's 64 bytes, Base64
 */
public record DeploymentSignature(String algorithm, String keyId, String value) {

    /** The document member that holds the signature. */
    public static final String MEMBER = "signature";

    /** The member's keys. */
    public static final java.util.List<String> KEYS = java.util.List.of("algorithm", "keyId", "value");
    /** What a key id looks like ({@link SigningKeys#keyId}). */
    public static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile("ed25519:[0-9a-f]{16}");

    /** Checks every part is given. */
    public DeploymentSignature {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(value, "value");
    }

    /** Whether {@code value} is the Base64 of 64 bytes, an Ed25519 signature's size. */
    public static boolean isWellFormedValue(String value) {
        try {
            return Base64.getDecoder().decode(value).length == 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The signature in a document's (already checked) {@link #MEMBER}, or {@code null} when it has none. */
    static DeploymentSignature from(com.fasterxml.jackson.databind.JsonNode member) {
        if (member == null || !member.isObject()) {
            return null;
        }
        return new DeploymentSignature(member.path("algorithm").asText(), member.path("keyId").asText(),
                member.path("value").asText());
    }

    /** The bytes a signature of {@code document} covers: its canonical JSON without {@link #MEMBER}. */
    public static byte[] signedContent(ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        copy.remove(MEMBER);
        return CanonicalJson.bytes(copy);
    }

    /** Signs {@code document} (its {@link #MEMBER}, if any, left out) with {@code key}, whose public half is {@code keyId}. */
    public static DeploymentSignature sign(ObjectNode document, PrivateKey key, String keyId) {
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initSign(key);
            s.update(signedContent(document));
            return new DeploymentSignature(SigningKeys.ALGORITHM, keyId, Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Whether this signature is {@code key}'s over {@code document}. */
    public boolean verifies(ObjectNode document, PublicKey key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initVerify(key);
            s.update(signedContent(document));
            return s.verify(raw);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The member as written into a document. */
    public ObjectNode toJson() {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        n.put("algorithm", algorithm).put("keyId", keyId).put("value", value);
        return n;
    }
}
