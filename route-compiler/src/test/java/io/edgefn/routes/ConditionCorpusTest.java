package io.edgefn.routes;

import io.edgefn.api.Message;
import io.edgefn.routes.internal.Condition;
import io.edgefn.routes.internal.Frontend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the table of conditions in {@code corpus/conditions.txt}, one dynamic test per line. */
class ConditionCorpusTest {

    @TestFactory
    Stream<DynamicTest> evaluate_corpusLine() throws IOException {
        Message message = TestMessages.standard();
        List<DynamicTest> tests = new ArrayList<>();
        String[] lines = read("/corpus/conditions.txt").split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int arrow = line.indexOf("==>");
            String expected = line.substring(0, arrow).strip();
            String condition = line.substring(arrow + 3);
            String cond = condition.startsWith(" ") ? condition.substring(1) : condition;
            int lineNumber = i + 1;
            tests.add(DynamicTest.dynamicTest("line " + lineNumber + ": " + cond, () -> check(message, expected, cond)));
        }
        return tests.stream();
    }

    private static void check(Message message, String expected, String condition) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Condition compiled = Frontend.compileCondition(condition, diagnostics);
        List<Diagnostic> errors = diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
        if (expected.startsWith("error")) {
            assertThat(compiled).as("compiles although an error is expected").isNull();
            assertThat(errors).isNotEmpty();
            String want = expected.substring(6).strip();
            if (expected.startsWith("error:")) {
                assertThat(errors.get(0).message()).isEqualTo(want);
            } else {
                assertThat(errors.get(0).message()).startsWith(want);
            }
            return;
        }
        assertThat(errors).as("errors of " + condition).isEmpty();
        assertThat(compiled.evaluate(message).word()).as(condition).isEqualTo(expected);
    }

    static String read(String resource) throws IOException {
        try (InputStream in = ConditionCorpusTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
