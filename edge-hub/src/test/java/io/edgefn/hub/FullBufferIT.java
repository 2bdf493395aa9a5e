package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.edgefn.buffer.BufferStats;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full offline buffer under reject-new refuses a message: its sender is disconnected without
 * PUBACK (it will resend), the refused message is not counted as acknowledged, other clients stay.
 */
class FullBufferIT {

    /** The smallest buffer a deployment can ask for: twice the default 64 MiB segment. */
    static final String SMALL_REJECT_NEW = """
            {"routes": {"up": "FROM /messages/* INTO $upstream"},
             "storeAndForward": {"maxBytes": 134217728, "fullPolicy": "reject-new"}}""";

    @TempDir
    Path dir;

    @Test
    void fullBufferUnderRejectNew_disconnectsTheSenderWithoutPuback_andOthersStayConnected() throws Exception {
        try (HubFixture f = HubFixture.start(dir, SMALL_REJECT_NEW)) {
            MqttAsyncClient bystander = f.connect("bystander");
            MqttAsyncClient filler = f.connect("filler");
            CountDownLatch lost = new CountDownLatch(1);
            filler.setCallback(new AuthorizationIT.LostLatch(lost));

            int acked = HubFixture.publishQos1(filler, 700, i -> "devices/filler/messages/events/%24.mid=f-" + i,
                    i -> new byte[240_000]);

            assertThat(lost.await(30, TimeUnit.SECONDS)).as("the filler is disconnected").isTrue();
            assertThat(acked).isLessThan(700);
            BufferStats buffer = f.host.buffer().stats();
            assertThat(buffer.rejectedFull()).isPositive();
            // Every PUBACK the client got is a message on disk; the refused one got none.
            assertThat(f.hub.stats().messagesAcked()).isEqualTo(acked);
            assertThat(buffer.appends()).isGreaterThanOrEqualTo(acked);
            assertThat(f.hub.stats().refused(RefusalReason.SINK_REFUSED)).isPositive();
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("'filler'") && l.contains("without PUBACK"));

            assertThat(bystander.isConnected()).isTrue();
            IMqttToken sub = bystander.subscribe("$iothub/twin/res/#", 0);
            sub.waitForCompletion(10_000);
            assertThat(sub.getGrantedQos()).containsExactly(0);
        }
    }
}
