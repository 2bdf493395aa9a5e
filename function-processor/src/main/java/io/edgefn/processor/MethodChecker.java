package io.edgefn.processor;

import io.edgefn.api.DesiredPropertiesTrigger;
import io.edgefn.api.DeviceEventTrigger;
import io.edgefn.api.WarmUp;
import io.edgefn.api.DirectMethodTrigger;
import io.edgefn.api.OnStart;
import io.edgefn.api.OnStop;
import io.edgefn.api.HttpTrigger;
import io.edgefn.api.MqttTrigger;
import io.edgefn.api.Property;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;
import io.edgefn.api.TimerTrigger;
import io.edgefn.index.HttpPath;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.RetryDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.triggers.Schedule;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * Checks one method of a function class: its trigger, its modifiers, its return value and the
 * binding of every parameter. Reports every problem it finds on the method or the parameter,
 * not only the first.
 */
final class MethodChecker {

    /** The trigger annotations; a method carries exactly one. */
    static final List<Class<? extends Annotation>> TRIGGERS = List.of(RouteTrigger.class, TimerTrigger.class,
            DirectMethodTrigger.class, DesiredPropertiesTrigger.class, DeviceEventTrigger.class, OnStart.class, OnStop.class,
            HttpTrigger.class, MqttTrigger.class);

    /** What a direct method may not return: values that are no JSON answer, or answers that come later. */
    private static final List<String> UNANSWERABLE_RETURNS = List.of(ParameterDescriptor.Message.TYPE,
            ParameterDescriptor.Output.TYPE, "java.util.concurrent.CompletionStage", "java.util.concurrent.CompletableFuture",
            "java.util.concurrent.Future", "java.util.Optional");

    private final TypeNames typeNames;
    private final Diagnostics diagnostics;
    private final ParameterBinder binder;

    MethodChecker(TypeNames typeNames, Diagnostics diagnostics) {
        this.typeNames = typeNames;
        this.diagnostics = diagnostics;
        this.binder = new ParameterBinder(typeNames, diagnostics);
    }

    /**
     * The checked trigger method, or empty when {@code method} has no trigger or has errors
     * (which are reported).
     */
    Optional<MethodDescriptor> check(ExecutableElement method) {
        RouteTrigger route = method.getAnnotation(RouteTrigger.class);
        TimerTrigger timer = method.getAnnotation(TimerTrigger.class);
        DirectMethodTrigger direct = method.getAnnotation(DirectMethodTrigger.class);
        DeviceEventTrigger deviceEvent = method.getAnnotation(DeviceEventTrigger.class);
        TriggerDescriptor.Lifecycle.Phase phase = method.getAnnotation(OnStart.class) != null
                ? TriggerDescriptor.Lifecycle.Phase.START
                : method.getAnnotation(OnStop.class) != null ? TriggerDescriptor.Lifecycle.Phase.STOP : null;
        HttpTrigger http = method.getAnnotation(HttpTrigger.class);
        MqttTrigger mqtt = method.getAnnotation(MqttTrigger.class);
        String name = method.getSimpleName().toString();
        List<String> triggers = TRIGGERS.stream().filter(t -> method.getAnnotation(t) != null)
                .map(t -> "@" + t.getSimpleName()).toList();
        if (triggers.isEmpty()) {
            warnAboutIgnoredAnnotations(method, name);
            if (method.getAnnotation(io.edgefn.api.Retry.class) != null) {
                diagnostics.error(method, retryMirror(method), null, "method " + name
                        + " has @Retry but no trigger: @Retry goes on a trigger method");
            }
            if (method.getAnnotation(WarmUp.class) != null) {
                diagnostics.error(method, "method " + name + " has @WarmUp but no trigger: @WarmUp goes on a method with"
                        + " @RouteTrigger or @DeviceEventTrigger");
            }
            return Optional.empty();
        }
        if (triggers.size() > 1) {
            diagnostics.error(method, "method " + name + " has " + (triggers.size() == 2 ? "two" : triggers.size())
                    + " triggers, " + String.join(" and ", triggers) + ": a method has exactly one");
            return Optional.empty();
        }
        boolean ok = true;
        String what = phase == null ? "trigger method" : triggers.getFirst() + " method";
        if (!method.getModifiers().contains(Modifier.PUBLIC)) {
            diagnostics.error(method, what + " " + name + " must be public");
            ok = false;
        }
        if (method.getModifiers().contains(Modifier.STATIC)) {
            diagnostics.error(method, what + " " + name + " must not be static: the host calls it on the function's instance");
            ok = false;
        }
        Optional<TriggerDescriptor> trigger = route != null ? routeTrigger(method, name, route)
                : timer != null ? timerTrigger(method, name, timer)
                : direct != null ? directMethodTrigger(method, name, direct)
                : deviceEvent != null ? deviceEventTrigger(method, name, deviceEvent)
                : phase != null ? Optional.of(new TriggerDescriptor.Lifecycle(phase))
                : http != null ? httpTrigger(method, name, http)
                : mqtt != null ? mqttTrigger(method, name, mqtt)
                : Optional.of(new TriggerDescriptor.DesiredProperties());
        ok &= trigger.isPresent();
        ok &= checkWarmUp(method, name, route != null || deviceEvent != null, triggers.getFirst());
        Optional<RetryDescriptor> retry = RetryChecker.check(method, name, direct != null, phase != null, diagnostics);
        ok &= retry != null;

        String returnOutput = null;
        SendTo sendTo = method.getAnnotation(SendTo.class);
        boolean isVoid = method.getReturnType().getKind() == TypeKind.VOID;
        if (direct != null) {
            ok &= checkDirectMethodResult(method, name, sendTo);
        } else if (phase != null && sendTo != null) {
            diagnostics.error(method, what + " " + name + " is annotated @SendTo(\"" + sendTo.value()
                    + "\"), but a lifecycle hook sends nothing");
            ok = false;
        } else if (phase != null && !isVoid) {
            diagnostics.warning(method, "the return value of " + what + " " + name + " is ignored: make it void");
        } else if (http != null) {
            ok &= checkHttpResult(method, name, sendTo);
        } else if (sendTo != null) {
            if (isVoid) {
                diagnostics.error(method, "method " + name + " is annotated @SendTo(\"" + sendTo.value()
                        + "\") but returns void: return the value to send, or use an @SendTo Output<T> parameter");
                ok = false;
            } else if (!Names.isIdentifier(sendTo.value())) {
                diagnostics.error(method, "method " + name + " sends to invalid output name \"" + sendTo.value()
                        + "\": an output name is " + Names.IDENTIFIER_RULE);
                ok = false;
            } else {
                returnOutput = sendTo.value();
            }
        } else if (!isVoid) {
            diagnostics.warning(method, "the return value of trigger method " + name
                    + " is discarded: annotate the method @SendTo(\"<output>\") or make it void");
        }

        List<ParameterDescriptor> bindings = new ArrayList<>();
        List<String> parameterTypes = new ArrayList<>();
        VariableElement firstBody = null;
        for (VariableElement parameter : method.getParameters()) {
            parameterTypes.add(typeNames.binaryName(parameter.asType()));
            Optional<ParameterDescriptor> binding = binder.bind(method, parameter);
            if (binding.isEmpty()) {
                ok = false;
                continue;
            }
            ParameterDescriptor b = binding.get();
            if (phase != null && !(b instanceof ParameterDescriptor.Context)) {
                diagnostics.error(parameter, "parameter " + parameter.getSimpleName() + " of " + what + " " + name
                        + " binds " + b.binding() + ", but a lifecycle hook has no message and sends nothing: it takes"
                        + " no parameter or one FunctionContext");
                ok = false;
            } else if (timer != null && b.needsMessage()) {
                diagnostics.error(parameter, "parameter " + parameter.getSimpleName() + " of timer method " + name
                        + " binds " + b.binding() + ", but a timer has no message: a timer method takes only"
                        + " FunctionContext, DeviceCommands, MqttPublisher, @SendTo Output<T>, Settings, ReportedProperties"
                        + " and @StateStore State<T> parameters");
                ok = false;
            } else if (b instanceof ParameterDescriptor.PathParam || b instanceof ParameterDescriptor.HttpRequest) {
                ok &= checkHttpBinding(parameter, name, b, trigger.orElse(null), http != null);
            } else if (b.readsBody() && firstBody != null) {
                diagnostics.error(parameter, "parameter " + parameter.getSimpleName() + " of " + name
                        + " is a second body parameter (" + firstBody.getSimpleName()
                        + " already takes the body): bind the body once, or take the Message");
                ok = false;
            } else if (b.readsBody()) {
                firstBody = parameter;
            }
            bindings.add(b);
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(new MethodDescriptor(name, List.copyOf(parameterTypes), trigger.orElseThrow(),
                typeNames.binaryName(method.getReturnType()), returnOutput, List.copyOf(bindings), retry.orElse(null)));
    }

    private Optional<TriggerDescriptor> deviceEventTrigger(ExecutableElement method, String name, DeviceEventTrigger event) {
        if (!TriggerDescriptor.DeviceEvent.isValidName(event.device())) {
            diagnostics.error(method, "method " + name + " listens to invalid device id \"" + event.device()
                    + "\": a device id is " + TriggerDescriptor.DeviceEvent.NAME_RULE);
            return Optional.empty();
        }
        return Optional.of(new TriggerDescriptor.DeviceEvent(event.device()));
    }

    private static javax.lang.model.element.AnnotationMirror retryMirror(ExecutableElement method) {
        return RetryChecker.mirror(method);
    }

    private Optional<TriggerDescriptor> routeTrigger(ExecutableElement method, String name, RouteTrigger route) {
        if (!Names.isIdentifier(route.input())) {
            diagnostics.error(method, "method " + name + " has invalid input name \"" + route.input()
                    + "\": an input name is " + Names.IDENTIFIER_RULE);
            return Optional.empty();
        }
        return Optional.of(new TriggerDescriptor.Route(route.input()));
    }

    /** Every filter valid, QoS 0 or 1, the broker empty or a name; each problem reported on the method. */
    private Optional<TriggerDescriptor> mqttTrigger(ExecutableElement method, String name, MqttTrigger mqtt) {
        boolean ok = true;
        if (mqtt.value().length == 0) {
            diagnostics.error(method, "@MqttTrigger on method " + name + " has no topic filter: give at least one,"
                    + " e.g. @MqttTrigger(\"plant/+/temperature\")");
            ok = false;
        }
        for (String filter : mqtt.value()) {
            String problem = TriggerDescriptor.Mqtt.filterProblem(filter);
            if (problem != null) {
                diagnostics.error(method, "invalid @MqttTrigger on method " + name + ": " + problem);
                ok = false;
            }
        }
        if (mqtt.qos() == 2) {
            diagnostics.error(method, "@MqttTrigger on method " + name + " asks for qos 2, which the host does not"
                    + " offer: a retried invocation runs twice anyway, so use qos 1 (at least once) and make the method"
                    + " idempotent");
            ok = false;
        } else if (mqtt.qos() != 0 && mqtt.qos() != 1) {
            diagnostics.error(method, "@MqttTrigger on method " + name + " has qos " + mqtt.qos() + ": it is 0 or 1");
            ok = false;
        }
        if (!mqtt.broker().isEmpty() && !Names.isIdentifier(mqtt.broker())) {
            diagnostics.error(method, "@MqttTrigger on method " + name + " names invalid broker \"" + mqtt.broker()
                    + "\": a broker name is " + Names.IDENTIFIER_RULE + " (empty for the gateway's own hub)");
            ok = false;
        }
        return ok ? Optional.of(new TriggerDescriptor.Mqtt(List.of(mqtt.value()), mqtt.qos(), mqtt.broker()))
                : Optional.empty();
    }

    private Optional<TriggerDescriptor> directMethodTrigger(ExecutableElement method, String name, DirectMethodTrigger direct) {
        if (!TriggerDescriptor.DirectMethod.isValidName(direct.value())) {
            diagnostics.error(method, "method " + name + " serves invalid direct method name \"" + direct.value()
                    + "\": a direct method name is " + TriggerDescriptor.DirectMethod.NAME_RULE);
            return Optional.empty();
        }
        return Optional.of(new TriggerDescriptor.DirectMethod(direct.value()));
    }

    private Optional<TriggerDescriptor> httpTrigger(ExecutableElement method, String name, HttpTrigger http) {
        try {
            HttpPath.parse(http.value());
        } catch (IllegalArgumentException e) {
            diagnostics.error(method, "method " + name + " has an invalid @HttpTrigger path: " + e.getMessage());
            return Optional.empty();
        }
        List<String> methods = java.util.Arrays.stream(http.methods()).map(Enum::name).toList();
        if (methods.isEmpty() || methods.stream().distinct().count() != methods.size()) {
            diagnostics.error(method, "method " + name + " has @HttpTrigger methods " + methods
                    + ": give one or more, each once");
            return Optional.empty();
        }
        return Optional.of(new TriggerDescriptor.Http(http.value(), methods));
    }

    /** An HTTP method's return value is its answer, as for a direct method. */
    private boolean checkHttpResult(ExecutableElement method, String name, SendTo sendTo) {
        if (sendTo != null) {
            diagnostics.error(method, "HTTP method " + name + " is annotated @SendTo(\"" + sendTo.value()
                    + "\"), but its return value is the HTTP answer: send messages with an @SendTo Output<T> parameter");
            return false;
        }
        String returnType = typeNames.binaryName(method.getReturnType());
        if (UNANSWERABLE_RETURNS.contains(returnType)) {
            diagnostics.error(method, "HTTP method " + name + " returns " + method.getReturnType()
                    + ", which is no answer: return the body itself, an HttpResult, or void for 204"
                    + " (the host waits for the method to return, within its timeout)");
            return false;
        }
        return true;
    }

    /** A path parameter or the request data needs an HTTP trigger, and a path parameter a name in its path. */
    private boolean checkHttpBinding(VariableElement parameter, String name, ParameterDescriptor binding,
                                     TriggerDescriptor trigger, boolean isHttp) {
        String what = binding instanceof ParameterDescriptor.PathParam p ? "@PathParam(\"" + p.name() + "\")" : "HttpRequestData";
        if (!isHttp) {
            diagnostics.error(parameter, "parameter " + parameter.getSimpleName() + " of " + name + " binds " + what
                    + ", but " + name + " has no @HttpTrigger: only an HTTP request has it");
            return false;
        }
        if (binding instanceof ParameterDescriptor.PathParam p && trigger instanceof TriggerDescriptor.Http h) {
            List<String> names = HttpPath.parse(h.path()).parameters();
            if (!names.contains(p.name())) {
                diagnostics.error(parameter, "parameter " + parameter.getSimpleName() + " of " + name + " binds @PathParam(\""
                        + p.name() + "\"), but path \"" + h.path() + "\" has " + (names.isEmpty() ? "no parameters"
                        : "only " + names.stream().map(n -> "{" + n + "}").toList()));
                return false;
            }
        }
        return true;
    }

    /** A direct method's return value is its answer: no {@code @SendTo}, and a value the host can write as JSON now. */
    private boolean checkDirectMethodResult(ExecutableElement method, String name, SendTo sendTo) {
        if (sendTo != null) {
            diagnostics.error(method, "direct method " + name + " is annotated @SendTo(\"" + sendTo.value()
                    + "\"), but its return value is the method's answer: send messages with an @SendTo Output<T> parameter");
            return false;
        }
        String returnType = typeNames.binaryName(method.getReturnType());
        if (UNANSWERABLE_RETURNS.contains(returnType)) {
            diagnostics.error(method, "direct method " + name + " returns " + method.getReturnType()
                    + ", which is no answer: return the payload itself, or a MethodResult for another status"
                    + " (the host waits for the method to return, within its timeout)");
            return false;
        }
        return true;
    }

    private Optional<TriggerDescriptor> timerTrigger(ExecutableElement method, String name, TimerTrigger timer) {
        try {
            return Optional.of(switch (Schedule.parse(timer.fixedRate(), timer.cron())) {
                case Schedule.FixedRate rate -> TriggerDescriptor.Timer.ofFixedRate(timer.fixedRate(), rate.period().toMillis());
                case Schedule.Cron cron -> TriggerDescriptor.Timer.ofCron(cron.cron().expression());
            });
        } catch (IllegalArgumentException e) {
            diagnostics.error(method, "invalid @TimerTrigger on method " + name + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Checks {@code @WarmUp}: only on a message-triggered method, its properties each
     * {@code name=value}, a JSON-looking body closed as it opens. Returns whether it is fine.
     */
    private boolean checkWarmUp(ExecutableElement method, String name, boolean messageTriggered, String trigger) {
        WarmUp warmUp = method.getAnnotation(WarmUp.class);
        if (warmUp == null) {
            return true;
        }
        if (!messageTriggered) {
            diagnostics.error(method, "method " + name + " has @WarmUp, but its trigger " + trigger + " carries no message to"
                    + " bind: @WarmUp goes on a method with @RouteTrigger or @DeviceEventTrigger");
            return false;
        }
        boolean ok = true;
        for (String property : warmUp.properties()) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                diagnostics.error(method, "@WarmUp on method " + name + " has the property \"" + property
                        + "\": each property is name=value, with a name");
                ok = false;
            }
        }
        String body = warmUp.body().strip();
        if ((body.startsWith("{") && !body.endsWith("}")) || (body.startsWith("[") && !body.endsWith("]"))) {
            diagnostics.error(method, "@WarmUp on method " + name + " has a body that opens with " + body.charAt(0)
                    + " but does not close with " + (body.startsWith("{") ? "}" : "]") + ": it must be the whole message body");
            ok = false;
        }
        return ok;
    }

    private void warnAboutIgnoredAnnotations(ExecutableElement method, String name) {
        boolean annotated = method.getAnnotation(SendTo.class) != null
                || method.getParameters().stream().anyMatch(
                        p -> p.getAnnotation(SendTo.class) != null || p.getAnnotation(Property.class) != null
                                || p.getAnnotation(io.edgefn.api.PathParam.class) != null
                                || p.getAnnotation(io.edgefn.api.StateStore.class) != null);
        if (annotated) {
            diagnostics.warning(method, "method " + name
                    + " has @SendTo, @Property, @PathParam or @StateStore but no trigger, so the host never calls it: add"
                    + " @RouteTrigger, @TimerTrigger, @DirectMethodTrigger, @DesiredPropertiesTrigger, @DeviceEventTrigger"
                    + " or @HttpTrigger");
        }
    }
}
