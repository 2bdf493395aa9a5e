package io.edgefn.routes.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTest {

    @Test
    void escape_controlSeparatorAndFormatCharacters_becomeUnicodeEscapes() {
        assertThat(Printable.escape("a\u001b[2Jb\u0007\r\n\t\u007f\u009b\u2028\u2029\u202e\u200b\u2066\ufeff"))
                .isEqualTo("a\\u001b[2Jb\\u0007\\r\\n\\t\\u007f\\u009b\\u2028\\u2029\\u202e\\u200b\\u2066\\ufeff");
    }

    @Test
    void escape_printableText_isReturnedAsItIs() {
        String text = "route 'héllo שלום 😀' \\u001b (a literal backslash-u is left alone)";
        assertThat(Printable.escape(text)).isSameAs(text);
        assertThat(Printable.escape(null)).isNull();
    }
}
