package io.edgefn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void escape_writesATerminalEscapeSequenceAsText() {
        assertThat(LogText.escape("a\u001b[2Jb")).isEqualTo("a\\u001b[2Jb");
    }

    @Test
    void escape_writesLineBreaksAndTabsAsTheirShortEscapes() {
        assertThat(LogText.escape("one\ntwo\rthree\tfour")).isEqualTo("one\\ntwo\\rthree\\tfour");
    }

    @Test
    void escape_coversC0DelC1SeparatorsAndBidiOverrides() {
        assertThat(LogText.escape("\u0000\u0007\u007f\u0085\u009b\u2028\u2029\u202e\u2066\u200f"))
                .isEqualTo("\\u0000\\u0007\\u007f\\u0085\\u009b\\u2028\\u2029\\u202e\\u2066\\u200f");
    }

    @Test
    void escape_keepsPrintableTextOfAnyScriptAsItIs() {
        String text = "pump-07 {\"t\":\"82 °C\"} Grüße 東京 \uD83D\uDE80 a\\u001b";
        assertThat(LogText.escape(text)).isSameAs(text);
    }

    @Test
    void escape_writesLoneSurrogateHalvesAsEscapes() {
        assertThat(LogText.escape("a\uD83Db\uDE80")).isEqualTo("a\\ud83db\\ude80");
    }

    @Test
    void escape_null_isTheWordNull() {
        assertThat(LogText.escape(null)).isEqualTo("null");
    }

    @Test
    void preview_cutsTheOriginalAndMarksTheCut() {
        assertThat(LogText.preview("\u001b[2Jabcdef", 6)).isEqualTo("\\u001b[2Jab…");
        assertThat(LogText.preview("abc", 3)).isEqualTo("abc");
    }

    @Test
    void preview_neverCutsASurrogatePair() {
        assertThat(LogText.preview("ab\uD83D\uDE80c", 3)).isEqualTo("ab…");
    }

    @Test
    void preview_negativeLimit_isRefused() {
        assertThatThrownBy(() -> LogText.preview("x", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
