package io.edgefn.hub.identity;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared access signature, as IoT Hub devices send in MQTT's password:
 * {@code SharedAccessSignature sr={URL-encoded resource}&sig={URL-encoded signature}&se={expiry}[&skn={policy}]},
 * fields in any order.
 *
 * <p>The signature is Base64(HMAC-SHA256(key, UTF-8({URL-encoded resource} + "\n" + {expiry}))),
 * the expiry in seconds since 1970. Azure's SDKs encode the resource differently (Java's
 * {@link URLEncoder}, JavaScript's {@code encodeURIComponent}, .NET's lowercase escapes), always
 * putting into {@code sr} the very text they signed; so {@link #signatureMatches} accepts a
 * signature over the resource re-encoded with {@link URLEncoder} and one over {@code sr} exactly as
 * it appeared in the token.
 *
 * <p>Immutable; {@link #toString()} leaves the signature out.
 */
public final class SasToken {
    /** The token's prefix. */
    public static final String PREFIX = "SharedAccessSignature ";
    private static final String HMAC = "HmacSHA256";

    private final String resource;
    private final String rawResource;
    private final String signature;
    private final Instant expiry;
    private final String keyName;

    private SasToken(String resource, String rawResource, String signature, Instant expiry, String keyName) {
        this.resource = resource;
        this.rawResource = rawResource;
        this.signature = signature;
        this.expiry = expiry;
        this.keyName = keyName;
    }

    /**
     * Parses a SAS token (an MQTT password).
     *
     * @throws IdentityException naming the missing or malformed field (never quoting the signature)
     */
    public static SasToken parse(String password) {
        if (password == null || password.isEmpty()) {
            throw new IdentityException("no SAS token: the password is empty");
        }
        if (!password.startsWith(PREFIX)) {
            throw new IdentityException("not a SAS token: it must start with \"" + PREFIX.trim() + " \"");
        }
        Map<String, String> raw = new HashMap<>();
        int index = 0;
        for (String field : password.substring(PREFIX.length()).strip().split("&", -1)) {
            index++;
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IdentityException("malformed SAS token: field " + index + " is not name=value");
            }
            String name = field.substring(0, eq);
            if (raw.putIfAbsent(name, field.substring(eq + 1)) != null) {
                throw new IdentityException("malformed SAS token: field \"" + name + "\" appears twice");
            }
        }
        String sr = require(raw, "sr", "the resource");
        String sig = require(raw, "sig", "the signature");
        String se = require(raw, "se", "the expiry");
        String resource = decode(sr, "sr");
        String signature = decode(sig, "sig");
        try {
            if (Base64.getDecoder().decode(signature).length == 0) {
                throw new IdentityException("malformed SAS token: \"sig\" is empty");
            }
        } catch (IllegalArgumentException e) {
            throw new IdentityException("malformed SAS token: \"sig\" is not Base64");
        }
        Instant expiry;
        try {
            if (!se.chars().allMatch(c -> c >= '0' && c <= '9') || se.length() > 12) {
                throw new NumberFormatException();
            }
            expiry = Instant.ofEpochSecond(Long.parseLong(se));
        } catch (NumberFormatException | DateTimeException e) {
            throw new IdentityException("malformed SAS token: \"se\" (" + Ids.quote(se)
                    + ") is not the expiry in whole seconds since 1970");
        }
        String skn = raw.get("skn");
        return new SasToken(resource, sr, signature, expiry, skn == null || skn.isEmpty() ? null : decode(skn, "skn"));
    }

    private static String require(Map<String, String> fields, String name, String what) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IdentityException("malformed SAS token: no \"" + name + "\" field (" + what + ")");
        }
        return value;
    }

    /**
     * Percent-decodes a field as UTF-8. A {@code +} stays a {@code +}: signatures are Base64, and a
     * client that does not encode them sends {@code +} meaning {@code +}.
     */
    private static String decode(String value, String field) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new IdentityException("malformed SAS token: \"" + field + "\" has a bad %-escape at position " + (i + 1));
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IdentityException("malformed SAS token: \"" + field + "\" does not decode to UTF-8 text");
        }
    }

    /**
     * Makes a SAS token for {@code resourceUri} (e.g. {@code myhub.azure-devices.net/devices/dev1})
     * signed with {@code key} (the decoded bytes of a Base64 device key), as Azure's Java SDK does:
     * {@code sr} and {@code sig} encoded with {@link URLEncoder}.
     *
     * @param policyNameOrNull the {@code skn} field (a shared access policy's name), or null for a device key
     */
    public static String create(String resourceUri, byte[] key, Instant expiry, String policyNameOrNull) {
        Objects.requireNonNull(resourceUri, "resourceUri");
        Objects.requireNonNull(key, "key");
        String sr = URLEncoder.encode(resourceUri, StandardCharsets.UTF_8);
        long se = expiry.getEpochSecond();
        String sig = Base64.getEncoder().encodeToString(hmac(key, sr + "\n" + se));
        return PREFIX + "sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&se=" + se
                + (policyNameOrNull == null ? "" : "&skn=" + URLEncoder.encode(policyNameOrNull, StandardCharsets.UTF_8));
    }

    /**
     * Whether the signature was made with {@code key} (the decoded bytes of a Base64 key), over the
     * resource re-encoded with {@link URLEncoder} or over {@code sr} as it appeared in the token.
     * Compared in constant time.
     */
    public boolean signatureMatches(byte[] key) {
        byte[] presented = Base64.getDecoder().decode(signature);
        String suffix = "\n" + expiry.getEpochSecond();
        boolean reencoded = MessageDigest.isEqual(hmac(key, URLEncoder.encode(resource, StandardCharsets.UTF_8) + suffix), presented);
        boolean asSent = MessageDigest.isEqual(hmac(key, rawResource + suffix), presented);
        return reencoded | asSent;
    }

    private static byte[] hmac(byte[] key, String toSign) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IdentityException("cannot compute HMAC-SHA256: " + e.getMessage(), e);
        }
    }

    /** The resource ({@code sr}), URL-decoded: {@code {host}/devices/{deviceId}[/modules/{moduleId}]}. */
    public String resource() {
        return resource;
    }

    /** The signature ({@code sig}), URL-decoded: Base64 text. */
    public String signature() {
        return signature;
    }

    /** When the token expires ({@code se}). */
    public Instant expiry() {
        return expiry;
    }

    /** The policy name ({@code skn}), or null (a device's or module's own key). */
    public String keyName() {
        return keyName;
    }

    /** The resource, expiry and policy; never the signature. */
    @Override
    public String toString() {
        return "SasToken[sr=" + resource + ", se=" + expiry + (keyName == null ? "" : ", skn=" + keyName) + ", sig redacted]";
    }
}
