package io.edgefn.upstream;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs IoT Hub SAS tokens for the upstream link's password (protocols/iothub-mqtt.md "Connect"):
 * {@code SharedAccessSignature sr={URL-encoded resource}&sig={URL-encoded signature}&se={expiry}},
 * the signature being Base64(HMAC-SHA256(Base64-decoded key, URL-encoded resource + "\n" + expiry)).
 *
 * <p>Package-private and stateless; to be merged with the identity package's signer later.
 */
final class SasToken {

    private SasToken() {
    }

    /**
     * A token for {@code resource} (e.g. {@code myhub.azure-devices.net/devices/gw}) valid until
     * {@code expiryEpochSeconds}, signed with the Base64 device key.
     */
    static String create(String resource, String base64Key, long expiryEpochSeconds) {
        String encodedResource = urlEncode(resource);
        String toSign = encodedResource + "\n" + expiryEpochSeconds;
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
        return "SharedAccessSignature sr=" + encodedResource + "&sig=" + urlEncode(signature) + "&se=" + expiryEpochSeconds;
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
