package io.edgefn.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SasTokenTest {

    /** Key = bytes 0..31; signature computed with openssl, not with this code:
     * {@code printf 'myhub.azure-devices.net%2Fdevices%2Fgw\n1700000000' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f -binary | base64}. */
    @Test
    void create_matchesAnIndependentlyComputedVector() {
        String token = SasToken.create("myhub.azure-devices.net/devices/gw",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 1_700_000_000L);
        assertThat(token).isEqualTo("SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fgw"
                + "&sig=oLf4157o3RBwRKjAPyBYwEaPz137Lbw9yFkhiy7OaGI%3D&se=1700000000");
    }
}
