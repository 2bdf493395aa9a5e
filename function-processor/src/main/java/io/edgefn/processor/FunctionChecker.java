package io.edgefn.processor;

import io.edgefn.api.EdgeFunction;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Checks one {@code @EdgeFunction} class and its trigger methods, reporting every problem on the
 * class, method or parameter it is about.
 */
final class FunctionChecker {

    private final Elements elements;
    private final Diagnostics diagnostics;
    private final MethodChecker methods;

    FunctionChecker(Elements elements, TypeNames typeNames, Diagnostics diagnostics) {
        this.elements = elements;
        this.diagnostics = diagnostics;
        this.methods = new MethodChecker(typeNames, diagnostics);
    }

    /** The checked function, or empty when it has errors (which are reported). */
    Optional<FunctionDescriptor> check(TypeElement type) {
        EdgeFunction function = type.getAnnotation(EdgeFunction.class);
        String className = elements.getBinaryName(type).toString();
        boolean ok = checkClass(type, className);
        String name = function.value();
        if (!Names.isFunctionName(name)) {
            diagnostics.error(type, "@EdgeFunction class " + className + " has invalid function name \"" + name
                    + "\": a function name is " + Names.FUNCTION_NAME_RULE);
            ok = false;
        }
        if (function.maxConcurrency() < 1) {
            diagnostics.error(type, "@EdgeFunction \"" + name + "\" has maxConcurrency " + function.maxConcurrency()
                    + ": it must be at least 1");
            ok = false;
        }
        if (function.timeoutMillis() < 1) {
            diagnostics.error(type, "@EdgeFunction \"" + name + "\" has timeoutMillis " + function.timeoutMillis()
                    + ": it must be at least 1");
            ok = false;
        }
        if (function.retries() < 0) {
            diagnostics.error(type, "@EdgeFunction \"" + name + "\" has retries " + function.retries()
                    + ": it must be 0 or more");
            ok = false;
        }

        List<MethodDescriptor> checked = new ArrayList<>();
        Map<String, ExecutableElement> triggerOwners = new HashMap<>();
        Map<String, ParameterDescriptor.State> stores = new HashMap<>();
        boolean anyTrigger = false;
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            anyTrigger |= hasTrigger(method);
            Optional<MethodDescriptor> model = methods.check(method);
            if (model.isEmpty()) {
                ok &= !hasTrigger(method);
                continue;
            }
            if (model.get().trigger() instanceof TriggerDescriptor.Http http && !takeHttp(name, method, http, triggerOwners)) {
                ok = false;
                continue;
            }
            // What each trigger takes, and why two methods cannot share it; timers share nothing.
            String[] taken = switch (model.get().trigger()) {
                case TriggerDescriptor.Route route -> new String[] {"input \"" + route.input() + "\"",
                        "each input triggers one method"};
                case TriggerDescriptor.DirectMethod direct -> new String[] {"direct method \"" + direct.method() + "\"",
                        "a call must have one method to answer it"};
                case TriggerDescriptor.DesiredProperties desired -> new String[] {"@DesiredPropertiesTrigger",
                        "a function takes its desired properties in one method"};
                case TriggerDescriptor.Timer timer -> null;
                case TriggerDescriptor.Lifecycle hook -> new String[] {
                        hook.phase() == TriggerDescriptor.Lifecycle.Phase.START ? "@OnStart" : "@OnStop",
                        "a function has at most one such hook"};
                case TriggerDescriptor.DeviceEvent event -> new String[] {"device \"" + event.device() + "\"",
                        "each device's messages trigger one method of a function"};
                case TriggerDescriptor.Http http -> null; // taken above, method by method
                case TriggerDescriptor.Mqtt mqtt -> null;
            };
            ExecutableElement owner = taken == null ? null : triggerOwners.putIfAbsent(taken[0], method);
            if (owner != null) {
                diagnostics.error(method, taken[0] + " of function \"" + name + "\" is already taken by method "
                        + owner.getSimpleName() + ": " + taken[1]);
                ok = false;
                continue;
            }
            ok &= sameStateTypes(method, model.get(), stores);
            checked.add(model.get());
        }
        if (!anyTrigger) {
            diagnostics.warning(type, "@EdgeFunction class " + className
                    + " has no trigger method (@RouteTrigger, @TimerTrigger, @DirectMethodTrigger,"
                    + " @DesiredPropertiesTrigger, @HttpTrigger), so nothing ever calls it");
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(descriptor(function, className, checked));
    }

    /** Takes each HTTP method + path shape of {@code http} for {@code method}; false (reported) when one is taken. */
    private boolean takeHttp(String function, ExecutableElement method, TriggerDescriptor.Http http,
                             Map<String, ExecutableElement> owners) {
        String shape = io.edgefn.index.HttpPath.parse(http.path()).shape();
        for (String verb : http.methods()) {
            ExecutableElement owner = owners.putIfAbsent("HTTP " + verb + " " + shape, method);
            if (owner != null) {
                diagnostics.error(method, "HTTP " + verb + " \"" + http.path() + "\" of function \"" + function
                        + "\" is already served by method " + owner.getSimpleName()
                        + ": a request must have one method to answer it");
                return false;
            }
        }
        return true;
    }

    /** Whether every store {@code method} binds has the element type the function's earlier methods gave it. */
    private boolean sameStateTypes(ExecutableElement method, MethodDescriptor model,
                                   Map<String, ParameterDescriptor.State> stores) {
        boolean ok = true;
        for (int i = 0; i < model.parameters().size(); i++) {
            if (model.parameters().get(i) instanceof ParameterDescriptor.State state) {
                ParameterDescriptor.State first = stores.putIfAbsent(state.store(), state);
                if (first != null && !first.elementType().equals(state.elementType())) {
                    diagnostics.error(method.getParameters().get(i), "parameter " + method.getParameters().get(i).getSimpleName()
                            + " of " + method.getSimpleName() + " binds store \"" + state.store() + "\" as State<"
                            + state.elementType() + ">, but another method binds it as State<" + first.elementType()
                            + ">: a store holds one type of value");
                    ok = false;
                }
            }
        }
        return ok;
    }

    private boolean checkClass(TypeElement type, String className) {
        boolean ok = true;
        if (type.getKind() != ElementKind.CLASS) {
            diagnostics.error(type, "@EdgeFunction " + className + " must be a class, not " + describe(type.getKind()));
            return false;
        }
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
            // Its implicit constructor is not public either: one error says all.
            diagnostics.error(type, "@EdgeFunction class " + className + " must be public");
            return false;
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            diagnostics.error(type, "@EdgeFunction class " + className + " must not be abstract: the host instantiates it");
            ok = false;
        }
        if (type.getNestingKind() != NestingKind.TOP_LEVEL && !type.getModifiers().contains(Modifier.STATIC)) {
            diagnostics.error(type, "@EdgeFunction class " + className
                    + " must be top-level or a static nested class: the host instantiates it on its own");
            ok = false;
        }
        boolean publicConstructor = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getModifiers().contains(Modifier.PUBLIC));
        if (!publicConstructor) {
            diagnostics.error(type, "@EdgeFunction class " + className + " has no public constructor");
            ok = false;
        }
        return ok;
    }

    private static String describe(ElementKind kind) {
        return switch (kind) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> kind.toString().toLowerCase(Locale.ROOT);
        };
    }

    private static boolean hasTrigger(ExecutableElement method) {
        return MethodChecker.TRIGGERS.stream().anyMatch(t -> method.getAnnotation(t) != null);
    }

    /** The function's descriptor; its inputs and outputs are the sorted unions over its methods. */
    private static FunctionDescriptor descriptor(EdgeFunction function, String className, List<MethodDescriptor> checked) {
        TreeSet<String> inputs = new TreeSet<>();
        TreeSet<String> outputs = new TreeSet<>();
        boolean usesDeviceCommands = false;
        for (MethodDescriptor method : checked) {
            if (method.trigger() instanceof TriggerDescriptor.Route route) {
                inputs.add(route.input());
            }
            if (method.returnOutput() != null) {
                outputs.add(method.returnOutput());
            }
            for (ParameterDescriptor binding : method.parameters()) {
                if (binding instanceof ParameterDescriptor.Output output) {
                    outputs.add(output.output());
                }
                usesDeviceCommands |= binding instanceof ParameterDescriptor.DeviceCommands;
            }
        }
        return new FunctionDescriptor(function.value(), className, function.maxConcurrency(), function.timeoutMillis(),
                function.retries(), List.copyOf(inputs), List.copyOf(outputs), usesDeviceCommands, checked);
    }
}
