package io.edgefn.deploy;

import io.edgefn.deploy.ForbiddenCall.Reason;
import io.edgefn.deploy.internal.ClassFile.MethodReference;
import io.edgefn.deploy.internal.ClassFile.MethodSummary;
import io.edgefn.deploy.internal.ClassFile.StringConstant;
import io.edgefn.deploy.internal.ConstantPool.MemberRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules that decide which calls of a method are forbidden; {@link BytecodeScanner}'s javadoc
 * says what they catch and what they do not.
 *
 * <p>Three rules, each over one method's code:
 * <ol>
 * <li><b>Named calls</b>: a call of (or handle to) a method in {@link #CALLS}, matched by owner and
 *     name, any descriptor.
 * <li><b>Class definition</b>: a call of any method named as one of {@link #DEFINING} that takes
 *     the class's bytes ({@code byte[]} or {@code ByteBuffer}), whatever its owner: a subclass of
 *     {@code ClassLoader} calling its inherited {@code defineClass} compiles to a reference whose
 *     owner is the subclass.
 * <li><b>Lookup by name</b>: a call of a lookup by name in {@link #LOOKUPS} whose name is a
 *     guarded member's ("exit", "halt", "exec"), in a method that also names the member's class:
 *     {@code System.class} or {@code Runtime.class}, the string {@code "java.lang.System"} or
 *     {@code "java.lang.Runtime"}, or a call of {@code Runtime.getRuntime()}. The name is taken to
 *     be the last string constant the code loads before the lookup call, which is where javac
 *     puts a literal argument ({@code getMethod("halt", int.class)}); for the lookups that list
 *     every method ({@link #LISTINGS}) any guarded name in the method counts. Ordinary reflection,
 *     on the package's own classes or on other names, does not meet these conditions.
 * </ol>
 *
 * <p>Stateless.
 */
final class CallRules {

    /** Calls refused by owner and name, whatever their descriptor. */
    static final Map<String, Reason> CALLS = Map.ofEntries(
            Map.entry("java/lang/System.exit", Reason.STOPS_THE_HOST),
            Map.entry("java/lang/Runtime.exit", Reason.STOPS_THE_HOST),
            Map.entry("java/lang/Runtime.halt", Reason.STOPS_THE_HOST),
            Map.entry("java/lang/ProcessBuilder.<init>", Reason.RUNS_PROCESSES),
            Map.entry("java/lang/ProcessBuilder.start", Reason.RUNS_PROCESSES),
            Map.entry("java/lang/ProcessBuilder.startPipeline", Reason.RUNS_PROCESSES),
            Map.entry("java/lang/Runtime.exec", Reason.RUNS_PROCESSES),
            Map.entry("java/lang/ProcessHandle.destroy", Reason.RUNS_PROCESSES),
            Map.entry("java/lang/ProcessHandle.destroyForcibly", Reason.RUNS_PROCESSES),
            Map.entry("java/net/URLClassLoader.<init>", Reason.DEFINES_CLASSES),
            Map.entry("java/net/URLClassLoader.newInstance", Reason.DEFINES_CLASSES),
            Map.entry("java/lang/ModuleLayer.defineModules", Reason.DEFINES_CLASSES),
            Map.entry("java/lang/ModuleLayer.defineModulesWithOneLoader", Reason.DEFINES_CLASSES),
            Map.entry("java/lang/ModuleLayer.defineModulesWithManyLoaders", Reason.DEFINES_CLASSES));

    /**
     * Names of the methods that turn bytes into a class: {@code ClassLoader.defineClass},
     * {@code SecureClassLoader.defineClass}, {@code MethodHandles.Lookup.defineClass},
     * {@code defineHiddenClass} and {@code defineHiddenClassWithClassData}, and
     * {@code Unsafe.defineClass} / {@code defineAnonymousClass} (both {@code sun.misc} and
     * {@code jdk.internal.misc}).
     */
    static final Set<String> DEFINING = Set.of("defineClass", "defineClass0", "defineHiddenClass",
            "defineHiddenClassWithClassData", "defineAnonymousClass");

    /** Lookups of a method by name, reflective or through method handles (or by name and invoked at once, as {@code java.beans} does). */
    static final Set<String> LOOKUPS = Set.of(
            "java/lang/Class.getMethod", "java/lang/Class.getDeclaredMethod",
            "java/lang/invoke/MethodHandles$Lookup.findStatic", "java/lang/invoke/MethodHandles$Lookup.findVirtual",
            "java/lang/invoke/MethodHandles$Lookup.findSpecial", "java/lang/invoke/MethodHandles$Lookup.bind",
            "java/beans/Statement.<init>", "java/beans/Expression.<init>");

    /** Lookups that list every method, to be filtered by name afterwards. */
    static final Set<String> LISTINGS = Set.of("java/lang/Class.getMethods", "java/lang/Class.getDeclaredMethods");

    /** A member that must not be looked up by name, and why. */
    private record Guarded(String owner, String name, Reason reason) {}

    private static final List<Guarded> GUARDED = List.of(
            new Guarded("java/lang/System", "exit", Reason.STOPS_THE_HOST),
            new Guarded("java/lang/Runtime", "exit", Reason.STOPS_THE_HOST),
            new Guarded("java/lang/Runtime", "halt", Reason.STOPS_THE_HOST),
            new Guarded("java/lang/Runtime", "exec", Reason.RUNS_PROCESSES));

    private CallRules() {}

    /** Every forbidden call of {@code method}, a method of class {@code className} in jar entry {@code entry}. */
    static List<ForbiddenCall> check(String entry, String className, MethodSummary method) {
        List<ForbiddenCall> found = new ArrayList<>();
        for (MethodReference ref : method.references()) {
            MemberRef target = ref.target();
            String key = target.owner() + "." + target.name();
            Reason reason = CALLS.get(key);
            if (reason == null && DEFINING.contains(target.name()) && takesBytes(target.descriptor())) {
                reason = Reason.DEFINES_CLASSES;
            }
            if (reason != null) {
                found.add(call(entry, className, ref, ref.via(), reason));
            } else if (LOOKUPS.contains(key) || LISTINGS.contains(key)) {
                boolean listing = LISTINGS.contains(key);
                String name = listing ? null : lastStringBefore(method, ref.offset());
                for (Guarded g : GUARDED) {
                    boolean named = listing
                            ? method.strings().stream().anyMatch(c -> c.value().equals(g.name()))
                            : g.name().equals(name);
                    if (named && mentionsClass(method, g.owner())) {
                        found.add(call(entry, className, ref, ref.via() + " of \"" + g.name() + "\" with "
                                + g.owner().replace('/', '.'), g.reason()));
                    }
                }
            }
        }
        return found;
    }

    /** The last string constant loaded before {@code offset} in code order, or {@code null}. */
    private static String lastStringBefore(MethodSummary method, int offset) {
        String last = null;
        for (StringConstant c : method.strings()) {
            if (c.offset() < offset) {
                last = c.value();
            }
        }
        return last;
    }

    private static boolean mentionsClass(MethodSummary method, String owner) {
        String binaryName = owner.replace('/', '.');
        if (method.classes().contains(owner) || method.strings().stream().anyMatch(c -> c.value().equals(binaryName))) {
            return true;
        }
        return owner.equals("java/lang/Runtime") && method.references().stream()
                .anyMatch(r -> r.target().owner().equals(owner) && r.target().name().equals("getRuntime"));
    }

    private static boolean takesBytes(String descriptor) {
        int close = descriptor.indexOf(')');
        String parameters = close < 0 ? descriptor : descriptor.substring(0, close);
        return parameters.contains("[B") || parameters.contains("Ljava/nio/ByteBuffer;");
    }

    private static ForbiddenCall call(String entry, String className, MethodReference ref, String via, Reason reason) {
        MemberRef target = ref.target();
        return new ForbiddenCall(entry, className, ref.callerName() + ref.callerDescriptor(), ref.line(),
                target.owner().replace('/', '.') + "." + target.name() + target.descriptor(), via, reason);
    }
}
