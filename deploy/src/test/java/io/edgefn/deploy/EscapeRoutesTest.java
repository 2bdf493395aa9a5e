package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.FunctionIndex;
import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One package per way out of the host the scan refuses, each compiled in memory next to a valid
 * function, and each refused by {@link FunctionPackage#open} naming the class, method and line.
 */
class EscapeRoutesTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withoutProcessors();
    private static final String DEFINES = "it defines or loads classes at run time, whose code was never scanned";
    private static final String STOPS = "it would stop the whole host";
    private static final String PROCESSES = "it starts or kills operating-system processes";

    @TempDir
    Path dir;

    /** A package holding the echo function and {@code com.example.Escape} compiled from {@code body}. */
    private Path packageWith(String imports, String body) throws IOException {
        Map<String, byte[]> entries = new HashMap<>(JAVAC.compile(Map.of(
                "com.example.Echo", FunctionPackageTest.ECHO, "com.example.Escape", escape("Escape", imports, body)))
                .orThrow().files());
        entries.put(FunctionIndex.RESOURCE, FunctionPackageTest.INDEX.getBytes(StandardCharsets.UTF_8));
        return Jars.write(dir.resolve("escape.jar"), entries);
    }

    private static String escape(String simpleName, String imports, String body) {
        return "package com.example;\n" + imports + "\npublic class " + simpleName + " {\n" + body + "\n}\n";
    }

    /** Every route's class ({@code com.example.Escape<i>}) and the echo function, compiled in one go: javac is slow to start. */
    private static Map<String, byte[]> routeClasses;

    private static synchronized Map<String, byte[]> routeClasses() {
        if (routeClasses == null) {
            Map<String, String> sources = new HashMap<>();
            sources.put("com.example.Echo", FunctionPackageTest.ECHO);
            List<Arguments> routes = escapeRoutes().toList();
            for (int i = 0; i < routes.size(); i++) {
                Object[] route = routes.get(i).get();
                sources.put("com.example.Escape" + i, escape("Escape" + i, (String) route[1], (String) route[2]));
            }
            routeClasses = JAVAC.compile(sources).orThrow().files();
        }
        return routeClasses;
    }

    /** A package holding the echo function and the already compiled class of route {@code index}. */
    private Path packageOfRoute(int index) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        String escape = "com/example/Escape" + index;
        routeClasses().forEach((name, bytes) -> {
            if (name.startsWith("com/example/Echo") || name.equals(escape + ".class") || name.startsWith(escape + "$")) {
                entries.put(name, bytes);
            }
        });
        entries.put(FunctionIndex.RESOURCE, FunctionPackageTest.INDEX.getBytes(StandardCharsets.UTF_8));
        return Jars.write(dir.resolve("escape" + index + ".jar"), entries);
    }

    /** The 1-based line of {@code body} (after the two lines before it) that holds {@code // here}. */
    private static int lineOfMarker(String body) {
        List<String> lines = body.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// here")) {
                return i + 4; // package, imports, class line come first
            }
        }
        throw new AssertionError("no // here marker in " + body);
    }

    static Stream<Arguments> escapeRoutes() {
        return Stream.of(
                route("Lookup.defineClass on bytes from a resource", "import java.lang.invoke.MethodHandles;", """
                            public Class<?> run() throws Exception {
                                byte[] bytes = getClass().getResourceAsStream("/hidden.bin").readAllBytes();
                                return MethodHandles.lookup().defineClass(bytes); // here
                            }""",
                        "run()Ljava/lang/Class;", "java.lang.invoke.MethodHandles$Lookup.defineClass([B)Ljava/lang/Class;"
                                + " (invokevirtual): " + DEFINES),
                route("Lookup.defineHiddenClass", "import java.lang.invoke.MethodHandles;", """
                            public Object run(byte[] bytes) throws Exception {
                                return MethodHandles.lookup().defineHiddenClass(bytes, true); // here
                            }""",
                        "run([B)Ljava/lang/Object;", "java.lang.invoke.MethodHandles$Lookup.defineHiddenClass([BZ"
                                + "[Ljava/lang/invoke/MethodHandles$Lookup$ClassOption;)Ljava/lang/invoke/MethodHandles$Lookup;"
                                + " (invokevirtual): " + DEFINES),
                route("a ClassLoader of its own calling defineClass", "", """
                            static final class Loader extends ClassLoader {
                                Class<?> define(byte[] b) {
                                    return defineClass("x.Y", b, 0, b.length); // here
                                }
                            }""",
                        "define([B)Ljava/lang/Class;", "defineClass(Ljava/lang/String;[BII)Ljava/lang/Class; (invokevirtual): "
                                + DEFINES),
                route("a URLClassLoader over another jar", "import java.net.*;", """
                            public Object run() throws Exception {
                                URL[] urls = {URI.create("file:/tmp/evil.jar").toURL()};
                                return new URLClassLoader(urls).loadClass("Evil"); // here
                            }""",
                        "run()Ljava/lang/Object;", "java.net.URLClassLoader.<init>([Ljava/net/URL;)V (invokespecial): "
                                + DEFINES),
                route("new ProcessBuilder(\"kill\", …).start()", "", """
                            public void run() throws Exception {
                                new ProcessBuilder("kill", "-9", "1").start(); // here
                            }""",
                        "run()V", "java.lang.ProcessBuilder.<init>([Ljava/lang/String;)V (invokespecial): " + PROCESSES),
                route("Runtime.exec", "", """
                            public void run() throws Exception {
                                Runtime.getRuntime().exec(new String[] {"kill", "1"}); // here
                            }""",
                        "run()V", "java.lang.Runtime.exec([Ljava/lang/String;)Ljava/lang/Process; (invokevirtual): "
                                + PROCESSES),
                route("ProcessHandle::destroyForcibly", "", """
                            public void run() {
                                ProcessHandle.of(1).ifPresent(ProcessHandle::destroyForcibly); // here
                            }""",
                        "run()V", "java.lang.ProcessHandle.destroyForcibly()Z (invokedynamic (method handle)): " + PROCESSES),
                route("System.exit by reflection", "", """
                            public void run() throws Exception {
                                System.class.getMethod("exit", int.class).invoke(null, 3); // here
                            }""",
                        "run()V", "java.lang.Class.getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;"
                                + " (invokevirtual of \"exit\" with java.lang.System): " + STOPS),
                route("System.exit through Lookup.findStatic", "import java.lang.invoke.*;", """
                            public void run() throws Throwable {
                                MethodHandle exit = MethodHandles.lookup()
                                        .findStatic(System.class, "exit", MethodType.methodType(void.class, int.class)); // here
                                exit.invoke(3);
                            }""",
                        "run()V", "java.lang.invoke.MethodHandles$Lookup.findStatic(Ljava/lang/Class;Ljava/lang/String;"
                                + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle; (invokevirtual of \"exit\""
                                + " with java.lang.System): " + STOPS),
                route("Runtime.halt through Lookup.findVirtual", "import java.lang.invoke.*;", """
                            public void run() throws Throwable {
                                MethodHandles.lookup().findVirtual(Runtime.class, "halt", // here
                                        MethodType.methodType(void.class, int.class)).invoke(Runtime.getRuntime(), 0);
                            }""",
                        "run()V", "(invokevirtual of \"halt\" with java.lang.Runtime): " + STOPS),
                route("Runtime.halt through Lookup.bind on getRuntime()", "import java.lang.invoke.*;", """
                            public void run() throws Throwable {
                                MethodHandles.lookup().bind(Runtime.getRuntime(), "halt", // here
                                        MethodType.methodType(void.class, int.class)).invoke(0);
                            }""",
                        "run()V", "java.lang.invoke.MethodHandles$Lookup.bind(Ljava/lang/Object;Ljava/lang/String;"
                                + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle; (invokevirtual of \"halt\""
                                + " with java.lang.Runtime): " + STOPS),
                route("Runtime.halt on getRuntime().getClass()", "", """
                            public void run() throws Exception {
                                Runtime r = Runtime.getRuntime();
                                r.getClass().getMethod("halt", int.class).invoke(r, 0); // here
                            }""",
                        "run()V", "(invokevirtual of \"halt\" with java.lang.Runtime): " + STOPS),
                route("Runtime.halt of Class.forName(\"java.lang.Runtime\")", "", """
                            public void run() throws Exception {
                                Class<?> c = Class.forName("java.lang.Runtime");
                                Object r = c.getMethod("getRuntime").invoke(null);
                                c.getDeclaredMethod("halt", int.class).invoke(r, 0); // here
                            }""",
                        "run()V", "java.lang.Class.getDeclaredMethod(Ljava/lang/String;[Ljava/lang/Class;)"
                                + "Ljava/lang/reflect/Method; (invokevirtual of \"halt\" with java.lang.Runtime): " + STOPS),
                route("Runtime.halt found among getMethods()", "import java.lang.reflect.Method;", """
                            public void run() throws Exception {
                                for (Method m : Runtime.class.getMethods()) { // here
                                    if (m.getName().equals("halt")) {
                                        m.invoke(Runtime.getRuntime(), 0);
                                    }
                                }
                            }""",
                        "run()V", "java.lang.Class.getMethods()[Ljava/lang/reflect/Method; (invokevirtual of \"halt\" with"
                                + " java.lang.Runtime): " + STOPS),
                route("Runtime.halt through java.beans.Statement", "import java.beans.Statement;", """
                            public void run() throws Exception {
                                new Statement(Runtime.getRuntime(), "halt", new Object[] {0}).execute(); // here
                            }""",
                        "run()V", "java.beans.Statement.<init>(Ljava/lang/Object;Ljava/lang/String;[Ljava/lang/Object;)V"
                                + " (invokespecial of \"halt\" with java.lang.Runtime): " + STOPS),
                route("a module layer loading modules from disk", "import java.lang.module.*;", """
                            public Object run(Configuration cf) {
                                return ModuleLayer.boot().defineModulesWithOneLoader(cf, null); // here
                            }""",
                        "run(Ljava/lang/module/Configuration;)Ljava/lang/Object;", "java.lang.ModuleLayer"
                                + ".defineModulesWithOneLoader(Ljava/lang/module/Configuration;Ljava/lang/ClassLoader;)"
                                + "Ljava/lang/ModuleLayer; (invokevirtual): " + DEFINES));
    }

    private static Arguments route(String name, String imports, String body, String method, String expected) {
        return Arguments.of(name, imports, body, method, expected);
    }

    static Stream<Arguments> indexedEscapeRoutes() {
        List<Arguments> routes = escapeRoutes().toList();
        return java.util.stream.IntStream.range(0, routes.size()).mapToObj(i -> {
            Object[] route = routes.get(i).get();
            return Arguments.of(i, route[0], route[2], route[3], route[4]);
        });
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("indexedEscapeRoutes")
    void open_packageTakingAnEscapeRoute_isRefusedNamingClassMethodAndLine(int index, String name, String body,
            String method, String expected) throws IOException {
        Path jar = packageOfRoute(index);

        PackageException e = catchThrowableOfType(PackageException.class, () -> FunctionPackage.open(jar, null));

        assertThat(e).as(name).isNotNull();
        assertThat(e.getMessage()).startsWith("package " + jar.toAbsolutePath() + " is refused: its code makes calls"
                + " the host does not allow (");
        assertThat(e.forbiddenCalls()).isNotEmpty();
        ForbiddenCall first = e.forbiddenCalls().getFirst();
        assertThat(first.line()).isEqualTo(lineOfMarker(body));
        assertThat(first.method()).isEqualTo(method);
        assertThat(first.toString()).startsWith("com.example.Escape" + index).contains("." + method + " at line "
                + lineOfMarker(body) + " calls ").endsWith(expected);
        assertThat(e.getMessage()).contains("\n  " + first);
    }

    @Test
    void open_processBuilderStarted_reportsTheConstructorAndTheStartOnTheirLine() throws IOException {
        Path jar = packageWith("", """
                    public void run() throws Exception {
                        ProcessBuilder kill = new ProcessBuilder("kill", "1");
                        kill.start();
                    }""");

        PackageException e = catchThrowableOfType(PackageException.class, () -> FunctionPackage.open(jar, null));

        assertThat(e).hasMessageEndingWith("(2 calls):\n"
                + "  com.example.Escape.run()V at line 5 calls java.lang.ProcessBuilder.<init>([Ljava/lang/String;)V"
                + " (invokespecial): " + PROCESSES + "\n"
                + "  com.example.Escape.run()V at line 6 calls java.lang.ProcessBuilder.start()Ljava/lang/Process;"
                + " (invokevirtual): " + PROCESSES);
    }

    @Test
    void open_ordinaryPackageUsingReflectionOnItsOwnClasses_isAccepted() throws IOException {
        Path jar = packageWith("import java.lang.invoke.*;\nimport java.lang.reflect.*;", """
                    public void exit(int code) { }
                    public void halt(int code) { }
                    public Object reflectOnItself() throws Exception {
                        Method m = Escape.class.getMethod("exit", int.class);
                        return m.invoke(this, (int) System.currentTimeMillis());
                    }
                    public Object handleOnItself() throws Throwable {
                        return MethodHandles.lookup().findVirtual(Escape.class, "halt",
                                MethodType.methodType(void.class, int.class));
                    }
                    public Object runtimeFacts() throws Exception {
                        Runtime r = Runtime.getRuntime();
                        return r.availableProcessors() + r.getClass().getMethod("maxMemory").getName();
                    }
                    public Object byName() throws Exception {
                        return Class.forName("com.example.Echo").getDeclaredMethods().length;
                    }
                    public Runnable proxy() {
                        return (Runnable) Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {Runnable.class}, (p, method, args) -> null);
                    }
                    public Class<?> load() throws Exception {
                        return getClass().getClassLoader().loadClass("com.example.Echo");
                    }""");

        FunctionPackage pkg = FunctionPackage.open(jar, null);

        assertThat(pkg.index().function("echo")).isNotNull();
    }

    @Test
    void open_manifestWithClassPath_isRefusedNamingTheEntry() throws IOException {
        Map<String, byte[]> entries = new HashMap<>(JAVAC.compile("com.example.Echo", FunctionPackageTest.ECHO)
                .orThrow().files());
        entries.put(FunctionIndex.RESOURCE, FunctionPackageTest.INDEX.getBytes(StandardCharsets.UTF_8));
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nClass-Path: file:/tmp/unscanned.jar\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        Path jar = Jars.write(dir.resolve("classpath.jar"), entries);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessage("package " + jar.toAbsolutePath() + " is refused: its manifest META-INF/MANIFEST.MF has a"
                        + " Class-Path (\"file:/tmp/unscanned.jar\"), and the jars it names would never be checked;"
                        + " bundle what the package needs in the package jar instead");
    }

    @Test
    void open_classPathInAManifestNamedInLowerCase_isRefusedToo() throws IOException {
        Map<String, byte[]> entries = new HashMap<>(JAVAC.compile("com.example.Echo", FunctionPackageTest.ECHO)
                .orThrow().files());
        entries.put(FunctionIndex.RESOURCE, FunctionPackageTest.INDEX.getBytes(StandardCharsets.UTF_8));
        entries.put("meta-inf/manifest.mf", "Manifest-Version: 1.0\r\nClass-Path: evil.jar\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        Path jar = Jars.write(dir.resolve("classpath.jar"), entries);

        assertThatThrownBy(() -> FunctionPackage.open(jar, null))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("its manifest meta-inf/manifest.mf has a Class-Path (\"evil.jar\")");
    }
}
