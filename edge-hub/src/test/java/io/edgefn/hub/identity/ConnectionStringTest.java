package io.edgefn.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectionStringTest {
    private static final GatewayIdentity GATEWAY = new GatewayIdentity("gw1", "gateway.lan", "gw1.edgefn.local");
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void forIdentity_device_hasTheFourFields() {
        Identity device = new Identity("dev1", null, "cHJpbWFyeQ==", "c2Vjb25kYXJ5", null, CREATED);
        String s = ConnectionString.forIdentity(GATEWAY, device);
        assertThat(s).isEqualTo("HostName=gw1.edgefn.local;DeviceId=dev1;SharedAccessKey=cHJpbWFyeQ==;GatewayHostName=gateway.lan");
        assertThat(ConnectionString.parse(s)).containsExactly(
                java.util.Map.entry("HostName", "gw1.edgefn.local"), java.util.Map.entry("DeviceId", "dev1"),
                java.util.Map.entry("SharedAccessKey", "cHJpbWFyeQ=="), java.util.Map.entry("GatewayHostName", "gateway.lan"));
    }

    @Test
    void forIdentity_module_namesTheGatewayDeviceAndTheModule() {
        Identity module = new Identity("gw1", "filter", "cHJpbWFyeQ==", "c2Vjb25kYXJ5", null, CREATED);
        assertThat(ConnectionString.forIdentity(GATEWAY, module)).isEqualTo(
                "HostName=gw1.edgefn.local;DeviceId=gw1;ModuleId=filter;SharedAccessKey=cHJpbWFyeQ==;GatewayHostName=gateway.lan");
    }

    @Test
    void forIdentity_x509_saysX509AndHoldsNoKey() {
        Identity device = new Identity("cam", null, null, null, "AB".repeat(20), CREATED);
        assertThat(ConnectionString.forIdentity(GATEWAY, device))
                .isEqualTo("HostName=gw1.edgefn.local;DeviceId=cam;x509=true;GatewayHostName=gateway.lan");
    }

    @Test
    void parse_toleratesSpacesAndTrailingSemicolon() {
        assertThat(ConnectionString.parse(" HostName=h.azure-devices.net; DeviceId=d ;SharedAccessKey=a=b=;"))
                .containsEntry("HostName", "h.azure-devices.net").containsEntry("DeviceId", "d").containsEntry("SharedAccessKey", "a=b=");
    }

    @Test
    void parse_malformed_namesTheProblemWithoutQuotingValues() {
        assertThatThrownBy(() -> ConnectionString.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;secretvalue")).hasMessageContaining("segment 2 has no '='")
                .hasMessageNotContaining("secretvalue");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;=x")).hasMessageContaining("segment 2 has no name");
        assertThatThrownBy(() -> ConnectionString.parse("HostName=h;DeviceId=a;DeviceId=b")).hasMessageContaining("DeviceId appears twice");
        assertThatThrownBy(() -> ConnectionString.parse("DeviceId=a;SharedAccessKey=k")).hasMessageContaining("no HostName");
    }
}
