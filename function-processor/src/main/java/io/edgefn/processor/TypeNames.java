package io.edgefn.processor;

import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Turns compile-time types into the names {@link Class#getName()} gives their erasure at run
 * time ({@code java.lang.String}, {@code [B}, {@code com.example.Outer$Inner}, {@code int}), so
 * the host can match a method by name and parameter types. Stateless.
 */
final class TypeNames {

    private final Types types;
    private final Elements elements;

    TypeNames(Types types, Elements elements) {
        this.types = types;
        this.elements = elements;
    }

    /** The run-time class name of the erasure of {@code type}. */
    String binaryName(TypeMirror type) {
        TypeMirror erased = types.erasure(type);
        return switch (erased.getKind()) {
            case BOOLEAN, BYTE, SHORT, INT, LONG, CHAR, FLOAT, DOUBLE -> erased.getKind().name().toLowerCase(java.util.Locale.ROOT);
            case VOID -> "void";
            case ARRAY -> "[" + descriptor(((ArrayType) erased).getComponentType());
            case DECLARED -> elements.getBinaryName((TypeElement) ((DeclaredType) erased).asElement()).toString();
            default -> erased.toString();
        };
    }

    private String descriptor(TypeMirror type) {
        return switch (type.getKind()) {
            case BOOLEAN -> "Z";
            case BYTE -> "B";
            case SHORT -> "S";
            case INT -> "I";
            case LONG -> "J";
            case CHAR -> "C";
            case FLOAT -> "F";
            case DOUBLE -> "D";
            case ARRAY -> "[" + descriptor(((ArrayType) type).getComponentType());
            default -> "L" + binaryName(type) + ";";
        };
    }
}
