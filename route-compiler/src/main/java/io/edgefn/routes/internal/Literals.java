package io.edgefn.routes.internal;

/** Values of literal tokens, as edgeHub's {@code ConditionVisitor} reads them. Stateless. */
final class Literals {

    private Literals() {
    }

    /** The double value of an INTEGER, REAL or HEX_INTEGER token; NaN (undefined) when edgeHub's parse fails. */
    static double number(Token t) {
        String text = t.text();
        if (t.is(TokenKind.HEX_INTEGER)) {
            String digits = text.substring(2).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 16) {
                return Double.NaN; // long.TryParse(HexNumber) overflows
            }
            return (double) Long.parseUnsignedLong(digits, 16);
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The value of a STRING token: quotes removed, {@code \" \' \\ \\uXXXX} unescaped. */
    static String unescape(String quoted) {
        String body = quoted.substring(1, quoted.length() - 1);
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(i + 1);
                if (e == 'u' && i + 5 < body.length()) {
                    out.append((char) Integer.parseInt(body.substring(i + 2, i + 6), 16));
                    i += 5;
                } else {
                    out.append(e);
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
