package io.edgefn.routes.internal;

import io.edgefn.routes.Diagnostic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for edgeHub's route statement ({@code Route.g4}) and condition
 * ({@code Condition.g4}) grammars, one method per rule with the rule above it.
 *
 * <p>Precedence, tightest first: primaries; prefix {@code -} and {@code NOT}; {@code * / %};
 * {@code + - ||}; {@code < <= > >=}; {@code = != <>}; {@code AND}; {@code OR}; {@code ??}. All
 * binary operators are left-associative. The first syntax error ends parsing: it is reported
 * with its position and the parse returns {@code null}. Not thread-safe: one instance per text.
 */
final class Parser {

    private static final Set<TokenKind> SOURCE_TOKENS = EnumSet.complementOf(EnumSet.of(
            TokenKind.EOF, TokenKind.WHERE, TokenKind.INTO, TokenKind.LPAREN, TokenKind.RPAREN,
            TokenKind.LBRACE, TokenKind.RBRACE, TokenKind.COMMA, TokenKind.STRING));

    /** The most tokens a route may have: bounds the depth of the trees built and walked recursively. */
    static final int MAX_TOKENS = 2000;
    /** The deepest nesting of parentheses, prefix operators and calls. */
    static final int MAX_NESTING = 100;

    private final SourceText source;
    private final List<Diagnostic> diagnostics;
    private List<Token> tokens;
    private int pos;
    private int nesting;

    /** Thrown to abandon the parse after the first syntax error, which is already reported. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError() {
            super(null, null, false, false);
        }
    }

    Parser(SourceText source, List<Diagnostic> diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    /** Parses a whole route statement; {@code null} after reporting the errors. */
    ParsedRoute parseRoute() {
        if (!scan()) {
            return null;
        }
        try {
            return route();
        } catch (SyntaxError e) {
            return null;
        }
    }

    /**
     * Parses a lone condition (the text of a WHERE); {@code null} after reporting the errors.
     * An empty condition parses to the literal {@code undefined}, as in edgeHub.
     */
    Expr parseCondition() {
        if (!scan()) {
            return null;
        }
        try {
            if (peek().is(TokenKind.EOF)) {
                return new Expr.Literal(Expr.Literal.Kind.UNDEFINED, "", Double.NaN, null, 0, 0);
            }
            Expr e = expression();
            expectEnd("the end of the condition");
            return e;
        } catch (SyntaxError e) {
            return null;
        }
    }

    private boolean scan() {
        List<Diagnostic> lexErrors = new ArrayList<>();
        Scanner scanner = new Scanner(source, lexErrors, MAX_TOKENS);
        tokens = scanner.scan();
        pos = 0;
        diagnostics.addAll(lexErrors);
        if (scanner.overflowAt() >= 0) {
            diagnostics.add(source.error(Diagnostic.Phase.SYNTAX, "Syntax error. The text has more than " + MAX_TOKENS
                    + " tokens; at most " + MAX_TOKENS + " are supported (token " + (MAX_TOKENS + 1) + " starts here)",
                    scanner.overflowAt(), source.text().length()));
            return false;
        }
        return lexErrors.isEmpty();
    }

    // route : (SELECT '*')? FROM source (WHERE condition)? INTO sink EOF
    private ParsedRoute route() {
        if (peek().is(TokenKind.EOF)) {
            throw error("Syntax error. The route is empty; write FROM <source> [WHERE <condition>] INTO <sink>",
                    0, source.text().length());
        }
        if (peek().is(TokenKind.SELECT)) {
            next();
            expect(TokenKind.STAR, "'*' after SELECT");
        }
        expect(TokenKind.FROM, "FROM");
        int sourceStart = peek().start();
        int sourceEnd = source();
        String sourceText = source.text().substring(sourceStart, sourceEnd);
        Expr condition = null;
        String conditionText = "true";
        if (peek().is(TokenKind.WHERE)) {
            next();
            if (peek().is(TokenKind.INTO) || peek().is(TokenKind.EOF)) {
                throw unexpected("a condition after WHERE");
            }
            condition = expression();
            conditionText = source.text().substring(condition.start(), condition.end());
        }
        if (peek().is(TokenKind.RPAREN)) {
            throw error("Syntax error: unmatched closing ')'", peek().start(), peek().end());
        }
        expect(TokenKind.INTO, condition == null ? "WHERE or INTO after the source" : "an operator or INTO");
        return sink(sourceText, sourceStart, sourceEnd, condition, conditionText);
    }

    // source : ('/' (ID | '*'))+ '/'?     (written without spaces)
    private int source() {
        Token first = peek();
        if (!first.is(TokenKind.SLASH)) {
            throw unexpected("a source starting with '/', such as /messages/*");
        }
        int end = first.end();
        next();
        while (SOURCE_TOKENS.contains(peek().kind()) && peek().start() == end) {
            end = next().end();
        }
        String text = source.text().substring(first.start(), end);
        String[] items = text.substring(1).split("/", -1);
        for (int i = 0; i < items.length; i++) {
            boolean last = i == items.length - 1;
            if (items[i].isEmpty() && !(last && items.length > 1) && !(items.length == 1)) {
                throw error("Syntax error. The source '" + text + "' has an empty part between '/'s",
                        first.start(), end);
            }
        }
        return end;
    }

    // sink : SYS_PROP | ID '(' STRING ')'
    private ParsedRoute sink(String sourceText, int sourceStart, int sourceEnd, Expr condition, String conditionText) {
        Token t = peek();
        int start = t.start();
        String name;
        String address = null;
        if (t.is(TokenKind.SYS_PROP)) {
            next();
            name = t.text();
        } else if (t.is(TokenKind.ID)) {
            next();
            name = t.text();
            expect(TokenKind.LPAREN, "'(' after the endpoint name " + t.text());
            Token s = expect(TokenKind.STRING, "the quoted address of the endpoint");
            address = s.text().substring(1, s.text().length() - 1);
            if (peek().is(TokenKind.EOF)) {
                throw error("Syntax error: missing closing ')'", s.start(), s.end());
            }
            expect(TokenKind.RPAREN, "')' after the endpoint address");
        } else {
            throw unexpected("a sink: $upstream or BrokeredEndpoint(\"/modules/{id}/inputs/{input}\")");
        }
        int end = tokens.get(pos - 1).end();
        if (!peek().is(TokenKind.EOF)) {
            Token extra = peek();
            throw error("Syntax error. Text after the sink is not allowed: '"
                    + source.text().substring(extra.start()).strip()
                    + "' (edgeHub ignores it silently, so a misplaced WHERE would route every message)",
                    extra.start(), source.text().stripTrailing().length());
        }
        return new ParsedRoute(sourceText, sourceStart, sourceEnd, condition, conditionText,
                source.text().substring(start, end), name, address, start, end);
    }

    // expression : coalesce
    private Expr expression() {
        return coalesce();
    }

    // coalesce : or ('??' or)*
    private Expr coalesce() {
        Expr left = or();
        while (peek().is(TokenKind.COALESCE)) {
            Token op = next();
            left = binary(op, left, or());
        }
        return left;
    }

    // or : and (OR and)*
    private Expr or() {
        Expr left = and();
        while (peek().is(TokenKind.OR)) {
            Token op = next();
            left = binary(op, left, and());
        }
        return left;
    }

    // and : equality (AND equality)*
    private Expr and() {
        Expr left = equality();
        while (peek().is(TokenKind.AND)) {
            Token op = next();
            left = binary(op, left, equality());
        }
        return left;
    }

    // equality : relational (('=' | '!=' | '<>') relational)*
    private Expr equality() {
        Expr left = relational();
        while (peek().is(TokenKind.EQ) || peek().is(TokenKind.NE) || peek().is(TokenKind.NE2)) {
            Token op = next();
            left = binary(op, left, relational());
        }
        return left;
    }

    // relational : additive (('<' | '<=' | '>' | '>=') additive)*
    private Expr relational() {
        Expr left = additive();
        while (peek().is(TokenKind.LT) || peek().is(TokenKind.LE) || peek().is(TokenKind.GT) || peek().is(TokenKind.GE)) {
            Token op = next();
            left = binary(op, left, additive());
        }
        return left;
    }

    // additive : multiplicative (('+' | '-' | '||') multiplicative)*
    private Expr additive() {
        Expr left = multiplicative();
        while (peek().is(TokenKind.PLUS) || peek().is(TokenKind.MINUS) || peek().is(TokenKind.CONCAT)) {
            Token op = next();
            left = binary(op, left, multiplicative());
        }
        return left;
    }

    // multiplicative : unary (('*' | '/' | '%') unary)*
    private Expr multiplicative() {
        Expr left = unary();
        while (peek().is(TokenKind.STAR) || peek().is(TokenKind.SLASH) || peek().is(TokenKind.PERCENT)) {
            Token op = next();
            left = binary(op, left, unary());
        }
        return left;
    }

    // unary : ('-' | NOT) unary | primary
    private Expr unary() {
        if (++nesting > MAX_NESTING) {
            throw error("Syntax error. The condition nests deeper than " + MAX_NESTING + " levels", peek().start(),
                    peek().end());
        }
        try {
            if (peek().is(TokenKind.MINUS) || peek().is(TokenKind.NOT)) {
                Token op = next();
                Expr operand = unary();
                return new Expr.Unary(op.kind(), op.text(), operand, op.start(), operand.end());
            }
            return primary();
        } finally {
            nesting--;
        }
    }

    // primary : literal | ID | ID '(' (expression (',' expression)*)? ')' | SYS_PROP | '{' SYS_PROP '}' | '(' expression ')'
    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case INTEGER, REAL, HEX_INTEGER -> {
                next();
                return new Expr.Literal(Expr.Literal.Kind.NUMBER, t.text(), Literals.number(t), null, t.start(), t.end());
            }
            case STRING -> {
                next();
                return new Expr.Literal(Expr.Literal.Kind.STRING, t.text(), Double.NaN, Literals.unescape(t.text()),
                        t.start(), t.end());
            }
            case TRUE, FALSE, NULL, UNDEFINED -> {
                next();
                return new Expr.Literal(Expr.Literal.Kind.valueOf(t.kind().name()), t.text(), Double.NaN, null,
                        t.start(), t.end());
            }
            case ID -> {
                next();
                if (peek().is(TokenKind.LPAREN)) {
                    return call(t);
                }
                return new Expr.Property(t.text(), t.start(), t.end());
            }
            case SYS_PROP -> {
                next();
                return systemProperty(t, false, t.start(), t.end());
            }
            case LBRACE -> {
                next();
                Token p = expect(TokenKind.SYS_PROP, "a $property inside '{ }'");
                Token close = expect(TokenKind.RBRACE, "'}' after " + p.text());
                return systemProperty(p, true, t.start(), close.end());
            }
            case LPAREN -> {
                next();
                Expr inner = expression();
                if (!peek().is(TokenKind.RPAREN)) {
                    throw error("Syntax error: missing closing ')'", t.start(), t.end());
                }
                Token close = next();
                return new Expr.Group(inner, t.start(), close.end());
            }
            case RPAREN -> throw error("Syntax error: unmatched closing ')'", t.start(), t.end());
            default -> throw unexpected("a value, property, function call or '('");
        }
    }

    private Expr call(Token name) {
        Token open = next();
        List<Expr> args = new ArrayList<>();
        if (!peek().is(TokenKind.RPAREN)) {
            args.add(expression());
            while (peek().is(TokenKind.COMMA)) {
                next();
                args.add(expression());
            }
        }
        if (!peek().is(TokenKind.RPAREN)) {
            if (peek().is(TokenKind.EOF) || peek().is(TokenKind.INTO)) {
                throw error("Syntax error: missing closing ')'", open.start(), open.end());
            }
            throw unexpected("',' or ')' in the arguments of " + name.text());
        }
        Token close = next();
        return new Expr.Call(name.text(), name.end(), args, name.start(), close.end());
    }

    private static Expr systemProperty(Token t, boolean escaped, int start, int end) {
        String name = t.text().substring(1);
        if (name.length() > 5 && name.regionMatches(true, 0, "body.", 0, 5)) {
            return new Expr.BodyQuery(name.substring(5), t.text(), escaped, start, end);
        }
        return new Expr.SystemProperty(name, escaped, start, end);
    }

    private static Expr binary(Token op, Expr left, Expr right) {
        return new Expr.Binary(op.kind(), op.text(), left, right, left.start(), right.end());
    }

    private void expectEnd(String what) {
        if (peek().is(TokenKind.RPAREN)) {
            throw error("Syntax error: unmatched closing ')'", peek().start(), peek().end());
        }
        if (!peek().is(TokenKind.EOF)) {
            throw unexpected("an operator or " + what);
        }
    }

    private Token expect(TokenKind kind, String what) {
        if (!peek().is(kind)) {
            throw unexpected(what);
        }
        return next();
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private SyntaxError unexpected(String expected) {
        Token t = peek();
        String found = t.is(TokenKind.EOF) ? "the end of the text" : "'" + t.text() + "'";
        String hint = "";
        if (t.is(TokenKind.EQ) && pos > 0 && tokens.get(pos - 1).is(TokenKind.EQ)) {
            hint = " ('==' is not an operator: use '=')";
        } else if (t.is(TokenKind.INTEGER) || t.is(TokenKind.REAL)) {
            hint = t.text().startsWith("-") ? " (a '-' right before a digit belongs to the number: write '- "
                    + t.text().substring(1) + "')" : "";
        }
        return error("Syntax error. Expected " + expected + " but found " + found + hint, t.start(),
                t.is(TokenKind.EOF) ? t.start() : t.end());
    }

    private SyntaxError error(String message, int start, int end) {
        diagnostics.add(source.error(Diagnostic.Phase.SYNTAX, message, start, end));
        return new SyntaxError();
    }
}
