package io.edgefn.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 key pairs for signing deployments, with the JDK's own provider: the private key as a
 * PKCS#8 PEM file ({@code PRIVATE KEY}, readable by its owner only), the public key as an X.509
 * SubjectPublicKeyInfo PEM file ({@code PUBLIC KEY}), both what {@code openssl pkey} reads and
 * writes. A public key is named by its {@linkplain #keyId id}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SigningKeys {

    /** The signature algorithm, as deployments name it. */
    public static final String ALGORITHM = "Ed25519";
    /** The private key's file name in a directory made by {@link #generate}. */
    public static final String PRIVATE_KEY_FILE = "signing.key";
    /** The public key's file name in a directory made by {@link #generate}. */
    public static final String PUBLIC_KEY_FILE = "signing.pub";

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private SigningKeys() {
    }

    /**
     * Writes a new key pair into {@code directory} (created if missing) as {@link #PRIVATE_KEY_FILE}
     * and {@link #PUBLIC_KEY_FILE}; refuses to overwrite either. Returns the public key.
     *
     * @throws IOException when a file exists already or cannot be written
     */
    public static PublicKey generate(Path directory) throws IOException {
        Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
        Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
        for (Path f : new Path[]{privateFile, publicFile}) {
            if (Files.exists(f)) {
                throw new FileAlreadyExistsException(f.toString(), null,
                        "a key is there already; keys are never overwritten (choose another --out)");
            }
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (every JDK since 15 has)", e);
        }
        Files.createDirectories(directory);
        writeOwnerOnly(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Path tmp = Files.createTempFile(directory, PUBLIC_KEY_FILE, ".tmp");
        Files.writeString(tmp, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.move(tmp, publicFile, StandardCopyOption.ATOMIC_MOVE);
        return pair.getPublic();
    }

    /** Reads an Ed25519 private key from a PKCS#8 PEM file; the exception names the file and the problem. */
    public static PrivateKey readPrivate(Path file) throws IOException {
        byte[] der = der(file, "PRIVATE KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** Reads an Ed25519 public key from an X.509 PEM file; the exception names the file and the problem. */
    public static PublicKey readPublic(Path file) throws IOException {
        return parsePublic(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** Parses an Ed25519 public key from PEM text; {@code shown} names it in errors. */
    public static PublicKey parsePublic(String pemText, String shown) throws IOException {
        byte[] der = der(pemText, "PUBLIC KEY", shown);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(shown + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The PEM text of {@code key}. */
    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * The key's id: {@code ed25519:} and the first 16 hex digits of the SHA-256 of its encoded
     * SubjectPublicKeyInfo. Deployments name their signer by it; a gateway files trusted keys by it.
     */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "ed25519:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] der(Path file, String type) throws IOException {
        return der(Files.readString(file, StandardCharsets.US_ASCII), type, file.toString());
    }

    private static byte[] der(String text, String type, String shown) throws IOException {
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new IOException(shown + " is not a PEM file (no -----BEGIN " + type + "----- block)");
        }
        if (!m.group(1).equals(type)) {
            throw new IOException(shown + " holds a " + m.group(1) + ", not a " + type
                    + (type.equals("PUBLIC KEY") ? " (give the .pub file)" : " (give the .key file)"));
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IOException(shown + ": its " + type + " block is not valid Base64", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path dir = file.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        }
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
