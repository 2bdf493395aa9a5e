package io.edgefn.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

/** A message never changes once built, although builders share its maps until they change them. */
class MessageTest {

    @Test
    void aBuilderThatGoesOnAfterBuildDoesNotChangeTheMessage() {
        Message.Builder b = Message.builder().property("unit", "bar").systemProperty(SystemProperties.CONTENT_TYPE, "text/plain");
        Message first = b.build();
        b.property("unit", "psi").property("site", "north").systemProperty(SystemProperties.CONTENT_TYPE, null);
        Message second = b.build();

        assertThat(first.properties()).containsOnlyKeys("unit").containsEntry("unit", "bar");
        assertThat(first.systemProperty(SystemProperties.CONTENT_TYPE)).isEqualTo("text/plain");
        assertThat(second.properties()).containsEntry("unit", "psi").containsEntry("site", "north");
        assertThat(second.systemProperties()).isEmpty();
    }

    @Test
    void aCopysChangesNeverReachTheOriginal() {
        Message original = Message.builder().body("x").property("Temp", "20")
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "pump-01").build();
        Message.Builder copy = original.toBuilder();
        Message unchanged = copy.build();
        Message changed = copy.property("temp", "21").removeProperty("absent")
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, "other").build();

        assertThat(original.property("TEMP")).isEqualTo("20");
        assertThat(original.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("pump-01");
        assertThat(unchanged).isEqualTo(original);
        assertThat(changed.property("temp")).isEqualTo("21");
        assertThat(changed.properties()).hasSize(1).containsKey("Temp"); // the first spelling of a name stays
        assertThat(changed.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("other");
    }

    @Test
    void propertiesStaySortedIgnoringCaseAndReadOnly() {
        Message m = Message.builder().property("b", "2").property("A", "1").property("$x", null).build();
        assertThat(m.properties()).isInstanceOf(NavigableMap.class);
        assertThat(m.properties().keySet()).containsExactly("$x", "A", "b");
        assertThat(m.hasProperty("$X")).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.properties().put("c", "3"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
