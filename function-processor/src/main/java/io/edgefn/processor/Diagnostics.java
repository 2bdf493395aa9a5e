package io.edgefn.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports problems on the element they are about, so javac shows them on the right line, and
 * remembers whether any was an error. Owned by the processor; javac calls it on one thread.
 */
final class Diagnostics {

    private final Messager messager;
    private boolean errors;

    Diagnostics(Messager messager) {
        this.messager = messager;
    }

    /** Reports an error on {@code element}: the build fails. */
    void error(Element element, String message) {
        errors = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    /**
     * Reports an error on the value of {@code annotation}'s element on {@code element}, or on the
     * annotation itself when {@code value} is {@code null} (an element left at its default).
     */
    void error(Element element, javax.lang.model.element.AnnotationMirror annotation,
               javax.lang.model.element.AnnotationValue value, String message) {
        errors = true;
        if (value == null) {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation);
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation, value);
        }
    }

    /** Reports a warning on {@code element}. */
    void warning(Element element, String message) {
        messager.printMessage(Diagnostic.Kind.WARNING, message, element);
    }

    /** Whether any error was reported. */
    boolean hasErrors() {
        return errors;
    }
}
