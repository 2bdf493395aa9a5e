package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import org.junit.jupiter.api.Test;

class PropertyBagTest {

    @Test
    void decode_percentEncodedSystemKey_isTheSystemProperty() {
        PropertyBag.Decoded d = PropertyBag.decode("%24.mid=abc&%24.ct=application%2Fjson");

        assertThat(d.systemProperties()).containsEntry(SystemProperties.MESSAGE_ID, "abc")
                .containsEntry(SystemProperties.CONTENT_TYPE, "application/json");
        assertThat(d.properties()).isEmpty();
    }

    @Test
    void decode_plusSign_isASpace() {
        assertThat(PropertyBag.decode("city=New+York&note=a%2Bb").properties())
                .containsEntry("city", "New York").containsEntry("note", "a+b");
    }

    @Test
    void decode_connectionKeysFromTheClient_areIgnored() {
        PropertyBag.Decoded d = PropertyBag.decode("$.cdid=spoof&$.cmid=spoof&%24.cdid=spoof&temp=21");

        assertThat(d.systemProperties()).doesNotContainKeys(SystemProperties.CONNECTION_DEVICE_ID,
                SystemProperties.CONNECTION_MODULE_ID);
        assertThat(d.properties()).containsExactlyEntriesOf(java.util.Map.of("temp", "21"));
    }

    @Test
    void decode_malformedEscape_isRefusedNamingThePair() {
        assertThatThrownBy(() -> PropertyBag.decode("ok=1&bad=%zz"))
                .isInstanceOf(PropertyBag.MalformedBagException.class)
                .hasMessageContaining("bad=%zz");
    }

    @Test
    void decode_emptyKey_isRefused() {
        assertThatThrownBy(() -> PropertyBag.decode("=value")).hasMessageContaining("empty key");
    }

    @Test
    void decode_emptyOrTrailingSlash_givesNothingExtra() {
        assertThat(PropertyBag.decode("").properties()).isEmpty();
        assertThat(PropertyBag.decode("a=1/").properties()).containsEntry("a", "1");
        assertThat(PropertyBag.decode("flag&&b=").properties()).containsEntry("flag", "").containsEntry("b", "");
    }

    @Test
    void decode_tooManyPairs_isRefused() {
        String bag = String.join("&", java.util.Collections.nCopies(PropertyBag.MAX_PAIRS + 1, "k=v"));
        assertThatThrownBy(() -> PropertyBag.decode(bag)).hasMessageContaining("more than " + PropertyBag.MAX_PAIRS);
    }

    @Test
    void encodeThenDecode_roundTripsPropertiesAndSystemProperties() {
        Message m = Message.builder().body("x").property("unit", "°C & more=yes").property("a b", "c/d")
                .systemProperty(SystemProperties.MESSAGE_ID, "m-1")
                .systemProperty(SystemProperties.CORRELATION_ID, "c 1")
                .systemProperty(SystemProperties.OUTPUT_NAME, "out").build();

        PropertyBag.Decoded d = PropertyBag.decode(PropertyBag.encode(m, false));

        assertThat(d.properties()).isEqualTo(m.properties());
        assertThat(d.systemProperties()).containsEntry(SystemProperties.MESSAGE_ID, "m-1")
                .containsEntry(SystemProperties.CORRELATION_ID, "c 1")
                .containsEntry(SystemProperties.OUTPUT_NAME, "out");
    }

    @Test
    void encode_withConnection_addsTheConnectionKeys() {
        Message m = Message.builder().body("x").systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "dev-1").build();

        assertThat(PropertyBag.encode(m, true)).contains("%24.cdid=dev-1");
        assertThat(PropertyBag.encode(m, false)).doesNotContain("cdid");
    }
}
