package io.edgefn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BytecodeScannerTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withoutProcessors();

    @TempDir
    Path dir;

    private static List<ForbiddenCall> scan(String className, String source) {
        Map<String, byte[]> classes = JAVAC.compile(className, source).orThrow().files();
        return classes.entrySet().stream()
                .flatMap(e -> BytecodeScanner.scanClass(e.getValue(), e.getKey()).stream())
                .toList();
    }

    @Test
    void scanClass_systemExit_namesTheCallingMethod() {
        List<ForbiddenCall> calls = scan("com.example.Quitter", """
                package com.example;
                public class Quitter {
                    public void onMessage(String body) {
                        if (body.isEmpty()) {
                            System.exit(1);
                        }
                    }
                }""");

        assertThat(calls).containsExactly(new ForbiddenCall("com/example/Quitter.class", "com.example.Quitter",
                "onMessage(Ljava/lang/String;)V", 5, "java.lang.System.exit(I)V", "invokestatic",
                ForbiddenCall.Reason.STOPS_THE_HOST));
        assertThat(calls.getFirst()).hasToString("com.example.Quitter.onMessage(Ljava/lang/String;)V at line 5 calls"
                + " java.lang.System.exit(I)V (invokestatic): it would stop the whole host");
    }

    @Test
    void scanClass_runtimeHaltAndExit_areBothFound() {
        List<ForbiddenCall> calls = scan("com.example.Halter", """
                package com.example;
                public class Halter {
                    static { Runtime.getRuntime().exit(2); }
                    public void stop() { Runtime.getRuntime().halt(0); }
                }""");

        assertThat(calls).extracting(ForbiddenCall::method, ForbiddenCall::call, ForbiddenCall::via).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("<clinit>()V", "java.lang.Runtime.exit(I)V", "invokevirtual"),
                org.assertj.core.groups.Tuple.tuple("stop()V", "java.lang.Runtime.halt(I)V", "invokevirtual"));
    }

    @Test
    void scanClass_methodReferenceToSystemExit_isFoundThroughTheBootstrapArguments() {
        List<ForbiddenCall> calls = scan("com.example.Sneaky", """
                package com.example;
                import java.util.function.IntConsumer;
                public class Sneaky {
                    public IntConsumer later() { return System::exit; }
                }""");

        assertThat(calls).containsExactly(new ForbiddenCall("com/example/Sneaky.class", "com.example.Sneaky",
                "later()Ljava/util/function/IntConsumer;", 4, "java.lang.System.exit(I)V", "invokedynamic (method handle)",
                ForbiddenCall.Reason.STOPS_THE_HOST));
    }

    @Test
    void scanClass_unsafeDefineClassAndDefineAnonymousClass_areFoundUnderTheirRealOwners() {
        // Neither Unsafe has these methods for javac any more (nor may a class compile against
        // jdk.internal.misc), so the calls are compiled against stand-ins whose names are as long
        // as the real owners', and the class file is then renamed to them.
        String stub = "public class Unsafe { public Class<?> defineClass(String n, byte[] b, int o, int l, ClassLoader c,"
                + " java.security.ProtectionDomain d) { return null; }"
                + " public Class<?> defineAnonymousClass(Class<?> h, byte[] b, Object[] p) { return null; } }";
        Map<String, byte[]> classes = JAVAC.compile(Map.of(
                "com.stub.Unsafe", "package com.stub; " + stub,
                "com.example.stubs.Unsafe", "package com.example.stubs; " + stub,
                "com.example.Sneaky", """
                        package com.example;
                        public class Sneaky {
                            void s(com.stub.Unsafe u, com.example.stubs.Unsafe internal, byte[] b) {
                                u.defineClass("X", b, 0, b.length, null, null);
                                u.defineAnonymousClass(Sneaky.class, b, null);
                                internal.defineClass("X", b, 0, b.length, null, null);
                            }
                        }""")).orThrow().files();
        byte[] sneaky = classes.get("com/example/Sneaky.class").clone();
        replaceAll(sneaky, "com/stub/Unsafe", "sun/misc/Unsafe");
        replaceAll(sneaky, "com/example/stubs/Unsafe", "jdk/internal/misc/Unsafe");

        List<ForbiddenCall> calls = BytecodeScanner.scanClass(sneaky, "com/example/Sneaky.class");

        String define = "defineClass(Ljava/lang/String;[BIILjava/lang/ClassLoader;Ljava/security/ProtectionDomain;)"
                + "Ljava/lang/Class;";
        assertThat(calls).extracting(ForbiddenCall::line, ForbiddenCall::call, ForbiddenCall::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4, "sun.misc.Unsafe." + define, ForbiddenCall.Reason.DEFINES_CLASSES),
                org.assertj.core.groups.Tuple.tuple(5, "sun.misc.Unsafe.defineAnonymousClass(Ljava/lang/Class;[B"
                        + "[Ljava/lang/Object;)Ljava/lang/Class;", ForbiddenCall.Reason.DEFINES_CLASSES),
                org.assertj.core.groups.Tuple.tuple(6, "jdk.internal.misc.Unsafe." + define,
                        ForbiddenCall.Reason.DEFINES_CLASSES));
    }

    private static void replaceAll(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        assertThat(t).hasSameSizeAs(f);
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, bytes, i, t.length);
            }
        }
    }

    @Test
    void scanClass_cleanCodeWithSwitchesLambdasAndWideLocals_findsNothing() {
        StringBuilder locals = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            locals.append("long v").append(i).append(" = ").append(i).append("L + n;\n");
        }
        List<ForbiddenCall> calls = scan("com.example.Clean", """
                package com.example;
                import java.util.function.Supplier;
                public class Clean {
                    private interface Exit { void exit(int code); }
                    public int dense(int n) { switch (n) { case 1: return 10; case 2: return 20; case 3: return 30; default: return 0; } }
                    public int sparse(int n) { switch (n) { case 1: return 1; case 1000: return 2; case 100000: return 3; default: return 0; } }
                    public String text(String s) { return switch (s) { case "a" -> "x"; case "b" -> "y"; default -> s; }; }
                    public Supplier<String> lambda() { return () -> "hi " + System.nanoTime(); }
                    public void notTheRealExit(Exit e) { e.exit(1); }
                    public long wide(long n) {
                %s      return v299 + v0;
                    }
                }""".formatted(locals));

        assertThat(calls).isEmpty();
    }

    @Test
    void scanClass_truncatedClassFile_failsWithAClearError() {
        byte[] whole = JAVAC.compile("com.example.Quitter",
                "package com.example; public class Quitter { void q() { System.exit(1); } }").orThrow().files().get("com/example/Quitter.class");
        for (int length : new int[] {0, 3, 9, 40, whole.length / 2, whole.length - 1}) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> BytecodeScanner.scanClass(cut, "com/example/Quitter.class"))
                    .as("cut at %d of %d bytes", length, whole.length)
                    .isInstanceOf(PackageException.class)
                    .hasMessageStartingWith("com/example/Quitter.class is not a valid class file: ");
        }
    }

    @Test
    void scanClass_garbage_failsSayingItIsNotAClassFile() {
        byte[] garbage = "this is not a class file at all".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> BytecodeScanner.scanClass(garbage, "evil/Garbage.class"))
                .isInstanceOf(PackageException.class)
                .hasMessage("evil/Garbage.class is not a valid class file: not a class file: it does not start with 0xCAFEBABE");
    }

    @Test
    void scanClass_randomlyCorruptedClassFiles_neverCrashTheScanner() {
        byte[] whole = JAVAC.compile("com.example.Quitter",
                "package com.example; public class Quitter { void q() { System.exit(1); } }").orThrow().files().get("com/example/Quitter.class");
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] corrupt = whole.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                corrupt[8 + random.nextInt(corrupt.length - 8)] = (byte) random.nextInt(256);
            }
            try {
                BytecodeScanner.scanClass(corrupt, "Quitter.class");
            } catch (PackageException expected) {
                assertThat(expected).hasMessageStartingWith("Quitter.class is not a valid class file: ");
            }
        }
    }

    @Test
    void scan_jar_reportsEveryForbiddenCallAcrossItsClasses() throws IOException {
        Map<String, byte[]> entries = new HashMap<>(JAVAC.compile(Map.of(
                "com.example.A", "package com.example; public class A { void a() { System.exit(3); } }",
                "com.example.B", "package com.example; public class B { class Inner { void b() { Runtime.getRuntime().halt(1); } } }",
                "com.example.C", "package com.example; public class C { void c() { } }")).orThrow().files());
        entries.put("META-INF/versions/21/com/example/D.class", JAVAC.compile("com.example.D",
                "package com.example; public class D { void d() { System.exit(4); } }").orThrow().files().get("com/example/D.class"));
        entries.put("readme.txt", "not a class".getBytes(StandardCharsets.UTF_8));
        Path jar = Jars.write(dir.resolve("mixed.jar"), entries);

        assertThat(BytecodeScanner.scan(jar)).extracting(ForbiddenCall::entry, ForbiddenCall::className)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("com/example/A.class", "com.example.A"),
                        org.assertj.core.groups.Tuple.tuple("com/example/B$Inner.class", "com.example.B$Inner"),
                        org.assertj.core.groups.Tuple.tuple("META-INF/versions/21/com/example/D.class", "com.example.D"));
    }

    @Test
    void scan_fileThatIsNotAJar_failsNamingTheFile() throws IOException {
        Path notJar = Files.writeString(dir.resolve("pump.jar"), "hello");

        assertThatThrownBy(() -> BytecodeScanner.scan(notJar))
                .isInstanceOf(PackageException.class)
                .hasMessageStartingWith(notJar + " is not a jar (zip) file");
    }

    @Test
    void scan_garbageClassInAJar_namesTheEntry() throws IOException {
        Path jar = Jars.write(dir.resolve("bad.jar"), Map.of("com/example/Bad.class", new byte[] {(byte) 0xCA, (byte) 0xFE}));

        assertThatThrownBy(() -> BytecodeScanner.scan(jar))
                .isInstanceOf(PackageException.class)
                .hasMessageStartingWith(jar + "!/com/example/Bad.class is not a valid class file: ");
    }
}
