package io.edgefn.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.hub.PropertyBag;
import org.junit.jupiter.api.Test;

class UpstreamTopicsTest {

    private static Message from(String device, String module) {
        return Message.builder().body("x").property("t", "21.5").property("a b", "c&d")
                .systemProperty(SystemProperties.MESSAGE_ID, "m1")
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, device)
                .systemProperty(SystemProperties.CONNECTION_MODULE_ID, module)
                .build();
    }

    @Test
    void broker_leafDevice_goesToTheLeafsOwnTopicWithConnectionIds() {
        String topic = UpstreamTopics.BROKER.topic(from("leaf1", null), "gw");
        assertThat(topic).isEqualTo("devices/leaf1/messages/events/%24.mid=m1&%24.cdid=leaf1&a+b=c%26d&t=21.5");
        PropertyBag.Decoded bag = PropertyBag.decode(topic.substring("devices/leaf1/messages/events/".length()));
        assertThat(bag.properties()).containsEntry("a b", "c&d").containsEntry("t", "21.5");
        assertThat(bag.systemProperties()).containsEntry(SystemProperties.MESSAGE_ID, "m1");
    }

    @Test
    void broker_function_goesToTheGatewaysModuleTopic() {
        assertThat(UpstreamTopics.BROKER.topic(from("gw", "filter"), "gw"))
                .startsWith("devices/gw/modules/filter/messages/events/")
                .contains("&%24.cdid=gw&%24.cmid=filter");
    }

    @Test
    void broker_gatewaysOwnMessage_goesToTheGatewaysDeviceTopic() {
        assertThat(UpstreamTopics.BROKER.topic(from("gw", null), "gw")).startsWith("devices/gw/messages/events/%24.mid=m1&%24.cdid=gw&a+b=c%26d&t=21.5");
        Message noConnection = Message.builder().body("x").build();
        assertThat(UpstreamTopics.BROKER.topic(noConnection, "gw")).isEqualTo("devices/gw/messages/events/");
    }

    @Test
    void iotHub_leafDevice_goesOnTheGatewaysTopicNamingTheOrigin() {
        String topic = UpstreamTopics.IOT_HUB.topic(from("leaf1", null), "gw");
        assertThat(topic).startsWith("devices/gw/messages/events/").doesNotContain("cdid");
        PropertyBag.Decoded bag = PropertyBag.decode(topic.substring("devices/gw/messages/events/".length()));
        assertThat(bag.properties()).containsEntry(UpstreamTopics.ORIGIN_DEVICE, "leaf1")
                .doesNotContainKey(UpstreamTopics.ORIGIN_MODULE).containsEntry("t", "21.5");
        assertThat(bag.systemProperties()).containsEntry(SystemProperties.MESSAGE_ID, "m1");
    }

    @Test
    void iotHub_function_namesDeviceAndModule_andReplacesForgedOrigins() {
        Message forged = from("gw", "filter").toBuilder().property(UpstreamTopics.ORIGIN_DEVICE, "someone-else").build();
        String topic = UpstreamTopics.IOT_HUB.topic(forged, "gw");
        PropertyBag.Decoded bag = PropertyBag.decode(topic.substring("devices/gw/messages/events/".length()));
        assertThat(bag.properties()).containsEntry(UpstreamTopics.ORIGIN_DEVICE, "gw").containsEntry(UpstreamTopics.ORIGIN_MODULE, "filter");
    }

    @Test
    void iotHub_gatewaysOwnMessage_carriesNoOrigin() {
        Message own = from("gw", null).toBuilder().property(UpstreamTopics.ORIGIN_DEVICE, "forged").build();
        String topic = UpstreamTopics.IOT_HUB.topic(own, "gw");
        assertThat(topic).isEqualTo("devices/gw/messages/events/%24.mid=m1&a+b=c%26d&t=21.5");
    }

    @Test
    void topic_refusesAnIdThatWouldChangeTheTopic() {
        assertThatThrownBy(() -> UpstreamTopics.BROKER.topic(from("a/b", null), "gw")).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> UpstreamTopics.BROKER.topic(from("gw", "m+"), "gw")).hasMessageContaining("'m+'");
    }

    @Test
    void of_picksTheStrategyForTheMode() {
        assertThat(UpstreamTopics.of(UpstreamConfig.Mode.BROKER)).isSameAs(UpstreamTopics.BROKER);
        assertThat(UpstreamTopics.of(UpstreamConfig.Mode.IOT_HUB)).isSameAs(UpstreamTopics.IOT_HUB);
    }
}
