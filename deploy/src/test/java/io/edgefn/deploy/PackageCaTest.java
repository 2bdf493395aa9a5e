package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A {@code url} package's {@code ca}: the certificate authorities of its server, as a PEM file or PEM text. */
class PackageCaTest {

    private static final String SHA = "ab".repeat(32);

    private static Deployment parse(String pkg) {
        String json = "{\"packages\": {\"pump\": " + pkg + "}, \"routes\": {}}";
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", Path.of("/deploy"));
    }

    @Test
    void ca_fileOrPemText_isReadWithTheUrlPackage() {
        assertThat(parse("{\"url\": \"https://repo.example/p.jar\", \"sha256\": \"" + SHA + "\", \"ca\": \"certs/ca.pem\"}")
                .packages().get("pump").ca()).isEqualTo("certs/ca.pem");
        assertThat(parse("{\"url\": \"https://repo.example/p.jar\", \"sha256\": \"" + SHA
                + "\", \"ca\": \"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"}")
                .packages().get("pump").ca()).startsWith(PackageFetcher.PEM_BEGIN);
        assertThat(parse("{\"url\": \"https://repo.example/p.jar\", \"sha256\": \"" + SHA + "\"}")
                .packages().get("pump").ca()).isNull();
    }

    @Test
    void ca_onAFilePackage_orEmpty_orNotAString_isAProblem() {
        assertThatThrownBy(() -> parse("{\"file\": \"p.jar\", \"ca\": \"ca.pem\"}"))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("packages.pump.ca")
                .hasMessageContaining("'ca' of package 'pump' names the certificate authorities of a 'url' package's"
                        + " server, but the package is not fetched from a URL");
        assertThatThrownBy(() -> parse("{\"url\": \"https://repo.example/p.jar\", \"sha256\": \"" + SHA + "\", \"ca\": \" \"}"))
                .hasMessageContaining("'ca' of package 'pump' is empty; give a PEM file or the PEM text of the"
                        + " certificate authorities");
        assertThatThrownBy(() -> parse("{\"url\": \"https://repo.example/p.jar\", \"sha256\": \"" + SHA + "\", \"ca\": 7}"))
                .hasMessageContaining("'ca' must be a string, not");
    }
}
