package io.edgefn.routes.internal;

/** The token kinds of edgeHub's route lexer ({@code GrammarLexer.g4}). */
enum TokenKind {
    STRING, INTEGER, HEX_INTEGER, REAL, TRUE, FALSE, NULL, UNDEFINED,
    AND, OR, NOT, SELECT, FROM, WHERE, INTO,
    SYS_PROP, ID,
    LPAREN, RPAREN, LBRACE, RBRACE, COMMA,
    STAR, SLASH, PERCENT, PLUS, MINUS, CONCAT,
    LT, LE, GT, GE, EQ, NE, NE2, COALESCE,
    EOF
}
