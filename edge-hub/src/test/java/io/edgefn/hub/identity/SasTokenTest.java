package io.edgefn.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SasTokenTest {
    private static final byte[] KEY = Base64.getDecoder().decode("q3Tb3ZL1k0u4fz8bdY1Hq8U3l8+1tXQ6rT3s7m2y9pA=");
    private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");

    /** The documented algorithm, computed here independently of SasToken. */
    static String azureToken(String resource, String base64Key, long expirySeconds) throws Exception {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((sr + "\n" + expirySeconds).getBytes(StandardCharsets.UTF_8)));
        return "SharedAccessSignature sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&se=" + expirySeconds + "&sr=" + sr;
    }

    @Test
    void create_thenParse_roundTripsAndVerifies() {
        String text = SasToken.create("hub.edgefn.local/devices/dev-1", KEY, EXPIRY, null);
        SasToken token = SasToken.parse(text);

        assertThat(text).startsWith("SharedAccessSignature sr=hub.edgefn.local%2Fdevices%2Fdev-1&sig=");
        assertThat(token.resource()).isEqualTo("hub.edgefn.local/devices/dev-1");
        assertThat(token.expiry()).isEqualTo(EXPIRY);
        assertThat(token.keyName()).isNull();
        assertThat(token.signatureMatches(KEY)).isTrue();
    }

    @Test
    void create_withPolicyName_setsSkn() {
        SasToken token = SasToken.parse(SasToken.create("hub.azure-devices.net", KEY, EXPIRY, "iothubowner"));
        assertThat(token.keyName()).isEqualTo("iothubowner");
        assertThat(token.signatureMatches(KEY)).isTrue();
    }

    @Test
    void signatureMatches_tokenMadeByTheDocumentedAlgorithm() throws Exception {
        String key = Base64.getEncoder().encodeToString(KEY);
        SasToken token = SasToken.parse(azureToken("gw.edgefn.local/devices/d(1)!'*", key, 1_900_000_000L));
        assertThat(token.resource()).isEqualTo("gw.edgefn.local/devices/d(1)!'*");
        assertThat(token.signatureMatches(KEY)).isTrue();
    }

    @Test
    void signatureMatches_tokenMadeByTheAzureJavaDeviceSdk() {
        String key = Base64.getEncoder().encodeToString(KEY);
        String sdkToken = new com.microsoft.azure.sdk.iot.device.auth.IotHubSasToken("gw.edgefn.local", "dev-1", key, null,
                "mod-1", 1_900_000_000L).toString();
        SasToken token = SasToken.parse(sdkToken);
        assertThat(token.resource()).isEqualTo("gw.edgefn.local/devices/dev-1/modules/mod-1");
        assertThat(token.signatureMatches(KEY)).isTrue();
    }

    @Test
    void signatureMatches_tokenSignedOverLowercaseEscapes_asSentInSr() throws Exception {
        // .NET's HttpUtility.UrlEncode writes %2f: the signer signed exactly what it put in sr.
        String sr = "hub.edgefn.local%2fdevices%2fdev-1";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((sr + "\n1900000000").getBytes(StandardCharsets.UTF_8)));
        SasToken token = SasToken.parse("SharedAccessSignature se=1900000000&sr=" + sr + "&sig=" + sig); // '+' left unencoded
        assertThat(token.resource()).isEqualTo("hub.edgefn.local/devices/dev-1");
        assertThat(token.signatureMatches(KEY)).isTrue();
    }

    @Test
    void signatureMatches_wrongKey_isFalse() {
        SasToken token = SasToken.parse(SasToken.create("hub/devices/d", KEY, EXPIRY, null));
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(token.signatureMatches(other)).isFalse();
    }

    @Test
    void parse_malformedTokens_nameTheProblem() {
        assertThatThrownBy(() -> SasToken.parse(null)).hasMessageContaining("password is empty");
        assertThatThrownBy(() -> SasToken.parse("Bearer abc")).hasMessageContaining("must start with \"SharedAccessSignature \"");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sig=AAAA&se=1")).hasMessageContaining("no \"sr\"");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h%2Fdevices%2Fd&se=1")).hasMessageContaining("no \"sig\"");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h&sig=AAAA")).hasMessageContaining("no \"se\"");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h&sig=AAAA&se=soon"))
                .hasMessageContaining("\"se\"").hasMessageContaining("seconds since 1970");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h&sig=not*base64&se=1"))
                .hasMessageContaining("\"sig\" is not Base64").hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h%2&sig=AAAA&se=1")).hasMessageContaining("\"sr\" has a bad %-escape");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h&sr=g&sig=AAAA&se=1")).hasMessageContaining("\"sr\" appears twice");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=h&junk&se=1")).hasMessageContaining("field 2 is not name=value");
    }

    @Test
    void toString_leavesTheSignatureOut() {
        SasToken token = SasToken.parse(SasToken.create("hub/devices/d", KEY, EXPIRY, null));
        assertThat(token.toString()).contains("hub/devices/d").doesNotContain(token.signature());
    }

    /** Key = bytes 0..31; signature computed with openssl, not with this code:
     * {@code printf 'myhub.azure-devices.net%2Fdevices%2Fgw\n1700000000' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f -binary | base64}. */
    @Test
    void create_matchesAVectorComputedWithOpenssl() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        String token = SasToken.create("myhub.azure-devices.net/devices/gw", key, java.time.Instant.ofEpochSecond(1_700_000_000L), null);
        assertThat(token).isEqualTo("SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fgw"
                + "&sig=oLf4157o3RBwRKjAPyBYwEaPz137Lbw9yFkhiy7OaGI%3D&se=1700000000");
    }
}
