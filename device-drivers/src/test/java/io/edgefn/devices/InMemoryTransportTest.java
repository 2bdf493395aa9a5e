package io.edgefn.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {

    @Test
    void read_afterWrites_returnsTheBytesInOrderAcrossChunks() throws IOException {
        InMemoryTransport.Pair line = InMemoryTransport.pair("t");
        line.deviceEnd().write(new byte[] {1, 2, 3});
        line.deviceEnd().write(new byte[] {4, 5});
        byte[] buf = new byte[4];
        assertThat(line.gatewayEnd().read(buf)).isEqualTo(4);
        assertThat(buf).containsExactly(1, 2, 3, 4);
        assertThat(line.gatewayEnd().read(buf)).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 5);
    }

    @Test
    void read_blockedWhenTheOtherEndCloses_returnsMinusOne() throws Exception {
        InMemoryTransport.Pair line = InMemoryTransport.pair("t");
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> line.gatewayEnd().read(new byte[8]));
        line.deviceEnd().close();
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void read_afterClose_drainsWhatWasWrittenFirst() throws IOException {
        InMemoryTransport.Pair line = InMemoryTransport.pair("t");
        line.deviceEnd().write(new byte[] {9});
        line.deviceEnd().close();
        byte[] buf = new byte[8];
        assertThat(line.gatewayEnd().read(buf)).isEqualTo(1);
        assertThat(line.gatewayEnd().read(buf)).isEqualTo(-1);
    }

    @Test
    void write_afterClose_failsNamingTheLine() {
        InMemoryTransport.Pair line = InMemoryTransport.pair("pump-line");
        line.gatewayEnd().close();
        assertThatThrownBy(() -> line.deviceEnd().write(new byte[] {1}))
                .isInstanceOf(IOException.class).hasMessageContaining("pump-line");
    }

    @Test
    void write_callerChangesArrayAfterwards_readerSeesTheOriginal() throws IOException {
        InMemoryTransport.Pair line = InMemoryTransport.pair("t");
        byte[] data = {1, 2};
        line.deviceEnd().write(data);
        Arrays.fill(data, (byte) 7);
        byte[] buf = new byte[2];
        line.gatewayEnd().read(buf);
        assertThat(buf).containsExactly(1, 2);
    }

    @Test
    void factory_everyOpen_makesAFreshLineAndHandsOverItsDeviceEnd() throws IOException {
        java.util.List<InMemoryTransport> devices = new java.util.ArrayList<>();
        TransportFactory f = InMemoryTransport.factory(devices::add);
        ByteTransport first = f.open("mem", 115200);
        first.close();
        ByteTransport second = f.open("mem", 115200);
        devices.get(1).write(new byte[] {42});
        byte[] buf = new byte[1];
        assertThat(second.read(buf)).isEqualTo(1);
        assertThat(devices).hasSize(2);
        assertThat(devices.get(0).isClosed()).isTrue();
        assertThat(devices.get(1).isClosed()).isFalse();
    }
}
