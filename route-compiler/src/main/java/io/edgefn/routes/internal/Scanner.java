package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The route lexer, a hand-written copy of edgeHub's {@code GrammarLexer.g4}.
 *
 * <p>Like ANTLR it takes the longest match at each position and, between matches of equal
 * length, the earlier rule: operators, then number literals, then strings, then system
 * properties, then keywords and identifiers. That reproduces edgeHub's surprises: {@code a-b},
 * {@code 3+4} and {@code x*2} are single identifiers, {@code -3} is one literal, {@code TRUE} is a
 * property while {@code true} is the literal. Lexical errors are collected, never thrown.
 *
 * <p>Scanning stops once {@code maxTokens} tokens and invalid symbols have been found and another
 * follows ({@link #overflowAt()}): a text far over the parser's limit costs no more than one at the
 * limit. Not thread-safe: one instance scans one text.
 */
final class Scanner {

    private static final String ID_EXCLUDED = "()<>@,;:\\\"/[]?={}";
    private static final String QUERY_PATH_EXCLUDED = "()<>@,;:\\\"/?={}";

    private final SourceText source;
    private final String text;
    private final List<Diagnostic> errors;
    private final int maxTokens;
    private int overflowAt = -1;

    Scanner(SourceText source, List<Diagnostic> errors, int maxTokens) {
        this.source = source;
        this.text = source.text();
        this.errors = errors;
        this.maxTokens = maxTokens;
    }

    /**
     * Every token of the text up to the limit, ending with {@link TokenKind#EOF}; lexical errors
     * go to the error list.
     */
    List<Token> scan() {
        List<Token> tokens = new ArrayList<>();
        int errorsBefore = errors.size();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close >= 0) {
                    i = close + 2;
                    continue;
                }
            }
            if (tokens.size() + errors.size() - errorsBefore >= maxTokens) {
                overflowAt = i;
                break;
            }
            if (c == '"' || c == '\'') {
                int stringEnd = scanString(i);
                if (stringEnd < 0) {
                    return endAfterError(tokens);
                }
                int idEnd = c == '\'' ? runEnd(i, false) : i;
                if (idEnd > stringEnd) {
                    tokens.add(identifier(i, idEnd));
                    i = idEnd;
                } else {
                    tokens.add(new Token(TokenKind.STRING, text.substring(i, stringEnd), i, stringEnd));
                    i = stringEnd;
                }
                continue;
            }
            int opEnd = operatorEnd(i);
            int numEnd = numberEnd(i);
            int sysEnd = c == '$' ? runEnd(i + 1, true) : i;
            if (sysEnd == i + 1) {
                sysEnd = i;
            }
            int idEnd = runEnd(i, false);
            int best = Math.max(Math.max(opEnd, numEnd), Math.max(sysEnd, idEnd));
            if (best == i) {
                errors.add(source.error(Diagnostic.Phase.SYNTAX,
                        "Syntax error: invalid symbol '" + c + "'", i, i + 1));
                i++;
                continue;
            }
            Token token;
            if (opEnd == best) {
                token = new Token(operatorKind(text.substring(i, opEnd)), text.substring(i, opEnd), i, opEnd);
            } else if (numEnd == best) {
                token = new Token(numberKind(i, numEnd), text.substring(i, numEnd), i, numEnd);
            } else if (sysEnd == best) {
                token = new Token(TokenKind.SYS_PROP, text.substring(i, sysEnd), i, sysEnd);
            } else {
                token = identifier(i, idEnd);
            }
            tokens.add(token);
            i = best;
        }
        tokens.add(new Token(TokenKind.EOF, "", n, n));
        return tokens;
    }

    /** Where the first token past the limit starts, or -1 when the whole text was scanned. */
    int overflowAt() {
        return overflowAt;
    }

    private List<Token> endAfterError(List<Token> tokens) {
        tokens.add(new Token(TokenKind.EOF, "", text.length(), text.length()));
        return tokens;
    }

    /** The end of the string starting at {@code start}, or -1 after reporting why it has none. */
    private int scanString(int start) {
        char quote = text.charAt(start);
        int j = start + 1;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (c == quote) {
                return j + 1;
            }
            if (c == '\\') {
                int escapeEnd = escapeEnd(j);
                if (escapeEnd < 0) {
                    int shown = Math.min(text.length(), j + 2);
                    errors.add(source.error(Diagnostic.Phase.SYNTAX, "Syntax error: invalid escape sequence '"
                            + text.substring(j, shown) + "' in string (only \\\" \\' \\\\ and \\uXXXX are allowed)",
                            j, shown));
                    return -1;
                }
                j = escapeEnd;
                continue;
            }
            j++;
        }
        errors.add(source.error(Diagnostic.Phase.SYNTAX, "Syntax error: unterminated string", start, text.length()));
        return -1;
    }

    private int escapeEnd(int backslash) {
        if (backslash + 1 >= text.length()) {
            return -1;
        }
        char e = text.charAt(backslash + 1);
        if (e == '"' || e == '\'' || e == '\\') {
            return backslash + 2;
        }
        if (e == 'u' && backslash + 6 <= text.length()) {
            for (int k = backslash + 2; k < backslash + 6; k++) {
                if (Character.digit(text.charAt(k), 16) < 0) {
                    return -1;
                }
            }
            return backslash + 6;
        }
        return -1;
    }

    private int runEnd(int from, boolean queryPath) {
        int j = from;
        while (j < text.length() && isNameChar(text.charAt(j), queryPath)) {
            j++;
        }
        return j;
    }

    static boolean isNameChar(char c, boolean queryPath) {
        return !isWhitespace(c) && (queryPath ? QUERY_PATH_EXCLUDED : ID_EXCLUDED).indexOf(c) < 0;
    }

    static boolean isWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private int operatorEnd(int i) {
        if (i + 1 < text.length()) {
            String two = text.substring(i, i + 2);
            switch (two) {
                case "<=", ">=", "<>", "!=", "||", "??" -> {
                    return i + 2;
                }
                default -> { }
            }
        }
        return "(){},*/%+-<>=".indexOf(text.charAt(i)) >= 0 ? i + 1 : i;
    }

    private static TokenKind operatorKind(String op) {
        return switch (op) {
            case "<=" -> TokenKind.LE;
            case ">=" -> TokenKind.GE;
            case "<>" -> TokenKind.NE2;
            case "!=" -> TokenKind.NE;
            case "||" -> TokenKind.CONCAT;
            case "??" -> TokenKind.COALESCE;
            case "(" -> TokenKind.LPAREN;
            case ")" -> TokenKind.RPAREN;
            case "{" -> TokenKind.LBRACE;
            case "}" -> TokenKind.RBRACE;
            case "," -> TokenKind.COMMA;
            case "*" -> TokenKind.STAR;
            case "/" -> TokenKind.SLASH;
            case "%" -> TokenKind.PERCENT;
            case "+" -> TokenKind.PLUS;
            case "-" -> TokenKind.MINUS;
            case "<" -> TokenKind.LT;
            case ">" -> TokenKind.GT;
            case "=" -> TokenKind.EQ;
            default -> throw new IllegalStateException("not an operator: " + op);
        };
    }

    /** The longest of INTEGER, HEX_INTEGER and REAL starting at {@code i}, or {@code i}. */
    private int numberEnd(int i) {
        int n = text.length();
        int best = i;
        if (text.charAt(i) == '0' && i + 2 < n && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')) {
            int j = i + 2;
            while (j < n && Character.digit(text.charAt(j), 16) >= 0 && text.charAt(j) < 128) {
                j++;
            }
            if (j > i + 2) {
                best = j;
            }
        }
        int j = i;
        if (j < n && text.charAt(j) == '-') {
            j++;
        }
        int digitsEnd = digits(j);
        if (digitsEnd > j) {
            best = Math.max(best, digitsEnd);
        }
        // REAL: digits* '.' digits+ exponent?  |  digits* exponent
        if (digitsEnd < n && text.charAt(digitsEnd) == '.') {
            int fractionEnd = digits(digitsEnd + 1);
            if (fractionEnd > digitsEnd + 1) {
                best = Math.max(best, Math.max(fractionEnd, exponentEnd(fractionEnd)));
            }
        }
        best = Math.max(best, exponentEnd(digitsEnd));
        return best;
    }

    private int exponentEnd(int at) {
        int n = text.length();
        if (at >= n || text.charAt(at) != 'e') {
            return at;
        }
        int j = at + 1;
        if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
            j++;
        }
        int end = digits(j);
        return end > j ? end : at;
    }

    private int digits(int from) {
        int j = from;
        while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
            j++;
        }
        return j;
    }

    private TokenKind numberKind(int start, int end) {
        String t = text.substring(start, end);
        if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
            return TokenKind.HEX_INTEGER;
        }
        return t.indexOf('.') >= 0 || t.indexOf('e') >= 0 ? TokenKind.REAL : TokenKind.INTEGER;
    }

    private Token identifier(int start, int end) {
        String t = text.substring(start, end);
        TokenKind kind = switch (t) {
            case "true" -> TokenKind.TRUE;
            case "false" -> TokenKind.FALSE;
            case "null" -> TokenKind.NULL;
            case "undefined" -> TokenKind.UNDEFINED;
            default -> switch (t.toUpperCase(Locale.ROOT)) {
                case "AND" -> TokenKind.AND;
                case "OR" -> TokenKind.OR;
                case "NOT" -> TokenKind.NOT;
                case "SELECT" -> TokenKind.SELECT;
                case "FROM" -> TokenKind.FROM;
                case "WHERE" -> TokenKind.WHERE;
                case "INTO" -> TokenKind.INTO;
                default -> TokenKind.ID;
            };
        };
        return new Token(kind, t, start, end);
    }
}
