package io.edgefn.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.api.Message;
import org.junit.jupiter.api.Test;

class CompiledConditionTest {

    private final CompiledCondition hot = RouteCompiler.create().compileCondition("as_number(temp) > 90");

    @Test
    void evaluator_givesTheThreeValuedResult_messageAfterMessage() {
        CompiledCondition.Evaluator evaluator = hot.evaluator();

        assertThat(evaluator.evaluate(Message.builder().property("temp", "92.5").build())).isEqualTo(Truth.TRUE);
        assertThat(evaluator.evaluate(Message.builder().property("temp", "12").build())).isEqualTo(Truth.FALSE);
        assertThat(evaluator.evaluate(Message.builder().property("temp", "warm").build())).isEqualTo(Truth.UNDEFINED);
        assertThat(evaluator.evaluate(Message.ofText("no temp"))).isEqualTo(Truth.UNDEFINED);
    }

    @Test
    void evaluate_agreesWithTheEvaluator() {
        Message m = Message.builder().property("temp", "92.5").build();

        assertThat(hot.evaluate(m)).isEqualTo(hot.evaluator().evaluate(m));
        assertThat(hot.text()).isEqualTo("as_number(temp) > 90");
        assertThat(hot.readsBody()).isFalse();
        assertThat(RouteCompiler.create().compileCondition("$body.pressure > 150").readsBody()).isTrue();
    }

    @Test
    void compileCondition_aTypeError_isReportedWithItsPosition() {
        RouteCompilationException e = catchThrowableOfType(RouteCompilationException.class,
                () -> RouteCompiler.create().compileCondition("temp > 50"));

        assertThat(e.diagnostics()).isNotEmpty();
        Diagnostic first = e.diagnostics().getFirst();
        assertThat(first.message()).contains("Invalid operands to binary operator '>'");
        assertThat(first.column()).isPositive();
    }
}
