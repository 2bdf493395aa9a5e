package io.edgefn.routes.internal;

/**
 * {@code double.TryParse(s, NumberStyles.Any, CultureInfo.InvariantCulture)} as edgeHub's
 * {@code as_number} uses it: leading and trailing white space, a leading or trailing sign,
 * parentheses for a negative number, the invariant currency sign {@code ¤}, {@code ,} thousands
 * separators after the first digit, a decimal point, an exponent, and the symbols
 * {@code Infinity} and {@code NaN}. Failure gives NaN (undefined).
 *
 * <p>Common inputs (at most 15 significant digits, small exponents) are converted exactly without
 * allocating (Clinger's fast path); the rest go through {@link Double#parseDouble}. Stateless.
 */
final class DotNetNumber {

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private DotNetNumber() {
    }

    static double parse(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isWhite(s.charAt(i))) {
            i++;
        }
        while (n > i && isWhite(s.charAt(n - 1))) {
            n--;
        }
        if (i == n) {
            return Double.NaN;
        }
        double special = symbol(s, i, n);
        if (special == special || s.regionMatches(true, i, "NaN", 0, 3) && n - i == 3) {
            return special;
        }
        boolean negative = false;
        boolean signed = false;
        boolean parens = false;
        boolean currency = false;
        // leading part: '(' , sign, currency in any order, each at most once
        while (i < n) {
            char c = s.charAt(i);
            if (c == '(' && !parens && !signed) {
                parens = true;
            } else if ((c == '+' || c == '-') && !signed && !parens) {
                signed = true;
                negative = c == '-';
            } else if (c == '\u00a4' && !currency) {
                currency = true;
            } else {
                break;
            }
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int dropped = 0;
        int fractionDigits = 0;
        boolean anyDigit = false;
        boolean inexact = false;
        int mantissaStart = i;
        // integer part
        while (i < n) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                anyDigit = true;
                if (significant < 18) {
                    if (mantissa != 0 || c != '0') {
                        mantissa = mantissa * 10 + (c - '0');
                        significant++;
                    }
                } else {
                    dropped++;
                    inexact |= c != '0';
                }
                i++;
            } else if (c == ',' && anyDigit) {
                i++;
            } else {
                break;
            }
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                char c = s.charAt(i);
                anyDigit = true;
                if (significant < 18) {
                    if (mantissa != 0 || c != '0') {
                        mantissa = mantissa * 10 + (c - '0');
                        significant++;
                    }
                    fractionDigits++;
                } else {
                    inexact |= c != '0';
                }
                i++;
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        int mantissaEnd = i;
        long exponent = 0;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            boolean expNegative = false;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                expNegative = s.charAt(j) == '-';
                j++;
            }
            int digitsStart = j;
            while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (s.charAt(j) - '0');
                }
                j++;
            }
            if (j > digitsStart) {
                exponent = expNegative ? -exponent : exponent;
                i = j;
            }
        }
        // trailing part: currency, sign (if none yet), ')' closing a '('
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\u00a4' && !currency) {
                currency = true;
            } else if ((c == '+' || c == '-') && !signed && !parens) {
                signed = true;
                negative = c == '-';
            } else if (c == ')' && parens) {
                parens = false;
                negative = true;
                signed = true;
            } else if (isWhite(c)) {
                // white space between the number and a trailing sign or ')'
            } else {
                return Double.NaN;
            }
            i++;
        }
        if (parens) {
            return Double.NaN;
        }
        double magnitude;
        long exp10 = exponent + dropped - fractionDigits;
        if (mantissa == 0) {
            magnitude = 0;
        } else if (!inexact && significant <= 15 && exp10 >= -22 && exp10 <= 22) {
            magnitude = exp10 >= 0 ? mantissa * POWERS_OF_TEN[(int) exp10] : mantissa / POWERS_OF_TEN[(int) -exp10];
        } else {
            magnitude = slowPath(s, mantissaStart, mantissaEnd, exponent);
        }
        return negative ? -magnitude : magnitude;
    }

    private static double slowPath(String s, int start, int end, long exponent) {
        StringBuilder digits = new StringBuilder(end - start + 8);
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c != ',') {
                digits.append(c);
            }
        }
        if (digits.charAt(0) == '.') {
            digits.insert(0, '0');
        }
        if (digits.charAt(digits.length() - 1) == '.') {
            digits.append('0');
        }
        digits.append('e').append(exponent);
        return Double.parseDouble(digits.toString());
    }

    private static double symbol(String s, int i, int n) {
        int len = n - i;
        if (len == 8 && s.regionMatches(true, i, "Infinity", 0, 8)) {
            return Double.POSITIVE_INFINITY;
        }
        if (len == 9 && s.regionMatches(true, i + 1, "Infinity", 0, 8)) {
            if (s.charAt(i) == '-') {
                return Double.NEGATIVE_INFINITY;
            }
            if (s.charAt(i) == '+') {
                return Double.POSITIVE_INFINITY;
            }
        }
        return Double.NaN;
    }

    private static boolean isWhite(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
