package io.edgefn.processor;

import io.edgefn.api.DesiredPropertiesTrigger;
import io.edgefn.api.DirectMethodTrigger;
import io.edgefn.api.EdgeFunction;
import io.edgefn.api.Property;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;
import io.edgefn.api.TimerTrigger;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The edgefn annotation processor: checks the wiring of every {@code @EdgeFunction} class of a
 * function package and writes the package's function index,
 * {@code META-INF/edgefn/functions.json} (see {@code docs/function-index.md}).
 *
 * <p>It is a plain {@link javax.annotation.processing.Processor} running beside Micronaut's
 * processors (Micronaut makes the classes beans, through
 * {@link io.edgefn.processor.internal.EdgeFunctionMapper}). A plain processor was chosen over a
 * Micronaut {@code TypeElementVisitor} because javac's {@link javax.annotation.processing.Messager}
 * reports each problem on the exact class, method or parameter (so the author sees the error on
 * the right line), it sees our annotations where they are written even on classes Micronaut
 * ignores (a trigger on a class without {@code @EdgeFunction}), and the standard
 * {@code processingOver} round gives one place to write an index aggregated over every class.
 *
 * <p>Problems are reported as compiler errors, all of them rather than the first; questionable but
 * legal wiring (a function without triggers, a discarded return value) as warnings. The index is
 * written once, in the last round, and only when no error was reported. It claims no annotation,
 * so Micronaut's processors see them too.
 *
 * <p>Not thread-safe: javac creates one instance per compilation and calls it on one thread.
 */
public final class FunctionProcessor extends AbstractProcessor {

    private final List<FunctionDescriptor> functions = new ArrayList<>();
    private final Map<String, String> classByFunctionName = new HashMap<>();
    private Diagnostics diagnostics;
    private FunctionChecker checker;

    /** Creates the processor; javac calls this through {@link java.util.ServiceLoader}. */
    public FunctionProcessor() {
    }

    /** Prepares the checker on javac's processing environment. */
    @Override
    public synchronized void init(ProcessingEnvironment processingEnv) {
        super.init(processingEnv);
        diagnostics = new Diagnostics(processingEnv.getMessager());
        TypeNames typeNames = new TypeNames(processingEnv.getTypeUtils(), processingEnv.getElementUtils());
        checker = new FunctionChecker(processingEnv.getElementUtils(), typeNames, diagnostics);
    }

    /** The edgefn API annotations. */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(EdgeFunction.class.getName(), RouteTrigger.class.getName(), TimerTrigger.class.getName(),
                DirectMethodTrigger.class.getName(), DesiredPropertiesTrigger.class.getName(),
                SendTo.class.getName(), Property.class.getName(),
                io.edgefn.api.Retry.class.getName(), io.edgefn.api.OnStart.class.getName(),
                io.edgefn.api.OnStop.class.getName(), io.edgefn.api.DeviceEventTrigger.class.getName(),
                io.edgefn.api.HttpTrigger.class.getName(), io.edgefn.api.PathParam.class.getName(),
                io.edgefn.api.HttpEndpoint.class.getName());
    }

    /** The latest version javac supports: the processor reads only declarations and annotations. */
    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    /**
     * Checks this round's functions; in the last round writes the index. Returns false: the
     * annotations stay unclaimed for Micronaut.
     */
    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (round.processingOver()) {
            if (!diagnostics.hasErrors() && !round.errorRaised() && !functions.isEmpty()) {
                writeIndex();
            }
            return false;
        }
        for (TypeElement type : ElementFilter.typesIn(round.getElementsAnnotatedWith(EdgeFunction.class))) {
            Optional<FunctionDescriptor> function = checker.check(type);
            String name = type.getAnnotation(EdgeFunction.class).value();
            String className = processingEnv.getElementUtils().getBinaryName(type).toString();
            String other = classByFunctionName.putIfAbsent(name, className);
            if (other != null) {
                diagnostics.error(type, "duplicate function name \"" + name + "\": " + className
                        + " and " + other + " both use it; function names are unique in a package");
            } else {
                function.ifPresent(functions::add);
            }
        }
        MethodChecker.TRIGGERS.forEach(trigger -> checkTriggersAreInFunctions(round, trigger));
        return false;
    }

    private void checkTriggersAreInFunctions(RoundEnvironment round, Class<? extends java.lang.annotation.Annotation> trigger) {
        for (Element method : round.getElementsAnnotatedWith(trigger)) {
            Element owner = method.getEnclosingElement();
            if (owner.getAnnotation(EdgeFunction.class) == null) {
                diagnostics.error(method, "method " + method.getSimpleName() + " has @" + trigger.getSimpleName()
                        + " but its class " + owner.getSimpleName() + " is not annotated @EdgeFunction");
            }
        }
    }

    /** Writes the index of every function, sorted by name so that the file does not depend on javac's order. */
    private void writeIndex() {
        List<FunctionDescriptor> sorted = functions.stream().sorted(Comparator.comparing(FunctionDescriptor::name)).toList();
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", FunctionIndex.RESOURCE);
            try (Writer out = file.openWriter()) {
                out.write(new FunctionIndex(FunctionIndex.FORMAT, sorted).toJson());
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "cannot write the function index " + FunctionIndex.RESOURCE + ": " + e.getMessage());
        }
    }
}
