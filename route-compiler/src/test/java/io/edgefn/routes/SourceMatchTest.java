package io.edgefn.routes;

import io.edgefn.routes.internal.Sources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Section 2.1 of the spec: canonical sources and prefix matching. */
class SourceMatchTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/*, /", "/messages/*, /messages/", "/messages/modules*, /messages/modules/",
            "/messages/modules/m1*, /messages/modules/m1/", "/, /", "' /messages '  , /messages/",
            "/messages/, /messages/", "/messages/modules/m/outputs/o, /messages/modules/m/outputs/o/"})
    void canonical_routeSource(String source, String canonical) {
        assertThat(Sources.canonical(source)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "/, /twinChangeNotifications, true",
            "/*, /messages/modules/a/outputs/b, true",
            "/messages/*, /messages, true",
            "/messages/*, /messages/modules/ModId1/outputs/Op1, true",
            "/messages/modules, /messages, false",
            "/messages/modules/ModId1/*, /messages/modules/ModId1, true",
            "/messages/modules/ModId1/*, /messages/modules/ModId1/outputs/Op1, true",
            "/messages/modules/X/outputs/*, /messages/modules/X, false",
            "/messages/event, /messages, false",
            "/message, /messages, false",
            "/*/messages/*, /messages, false",
            "/foo/*, /messages, false",
            "/messages/modules/m1, /messages/modules/m10, false",
            "/MESSAGES/Modules/modid1, /messages/modules/ModId1/outputs/x, true",
            "/twinChangeNotifications, /twinChangeNotifications, true",
            "/messages/*, /twinChangeNotifications, false"})
    void matches_routeAndMessageSource(String routeSource, String messageSource, boolean expected) {
        assertThat(Sources.matches(routeSource, messageSource)).isEqualTo(expected);
    }
}
