package io.edgefn.deploy;

import io.edgefn.deploy.internal.ClassFile;
import io.edgefn.deploy.internal.ClassFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;

/**
 * Finds the calls in a function package that the host does not allow: what would stop the whole
 * host, define or load code nobody scanned, or run other programs.
 *
 * <h2>Trust model</h2>
 * A Java function package runs inside the host's JVM with the host's rights: it is trusted code,
 * which is why a deployment names each jar by its SHA-256 (and, later, signs it). Java no longer
 * has a SecurityManager, so nothing at run time can stop a package that sets out to do harm. This
 * scan, run before any of a package's code is loaded, stops accidents and the obvious: a library
 * that calls {@code System.exit} on an error, a function that shells out, a package that brings
 * code in at run time where the scan cannot see it. It is not a sandbox against a determined
 * attacker; functions that must be isolated should be written in JavaScript (sandboxed).
 *
 * <h2>What is refused</h2>
 * The scanner reads every class's bytecode (see {@link io.edgefn.deploy.internal.ClassFile}),
 * including multi-release versions, and reports, with the calling class, method and source line:
 * <ul>
 * <li><b>Stopping the host</b>: calls of {@code System.exit}, {@code Runtime.exit} and
 *     {@code Runtime.halt}, including method handles to them ({@code System::exit} compiles to an
 *     {@code invokedynamic} whose bootstrap arguments hold one).
 * <li><b>Looking those up by name</b>: {@code Class.getMethod}/{@code getDeclaredMethod},
 *     {@code MethodHandles.Lookup.findStatic}/{@code findVirtual}/{@code findSpecial}/{@code bind}
 *     or {@code java.beans.Statement}/{@code Expression} with the name {@code "exit"} or
 *     {@code "halt"} (or {@code "exec"}) as a literal argument, that is, the last string constant
 *     loaded before the call; or {@code getMethods}/{@code getDeclaredMethods} in a method that
 *     holds such a string constant. In both cases the same method must also name {@code System}
 *     or {@code Runtime}: a class constant such as {@code Runtime.class}, the string
 *     {@code "java.lang.Runtime"}, or a call of {@code Runtime.getRuntime()}. Reflection on the
 *     package's own classes, or on other members, is left alone.
 * <li><b>Code the scan never saw</b>: any method named {@code defineClass},
 *     {@code defineHiddenClass}, {@code defineHiddenClassWithClassData} or
 *     {@code defineAnonymousClass} that takes the class's bytes, whatever class declares it
 *     ({@code ClassLoader}, {@code SecureClassLoader}, {@code MethodHandles.Lookup},
 *     {@code sun.misc.Unsafe}, {@code jdk.internal.misc.Unsafe}, or a package's own subclass);
 *     creating a {@code URLClassLoader}; {@code ModuleLayer.defineModules*}. (A {@code Class-Path}
 *     in the jar's manifest is refused by {@link FunctionPackage#open}, and the host's
 *     {@link PackageClassLoader} never follows one.) {@code java.lang.reflect.Proxy} is allowed:
 *     the classes it generates are the JDK's.
 * <li><b>Other programs</b>: {@code new ProcessBuilder(…)}, {@code ProcessBuilder.start} and
 *     {@code startPipeline}, {@code Runtime.exec}, and {@code ProcessHandle.destroy} /
 *     {@code destroyForcibly}.
 * </ul>
 *
 * <h2>What is not caught</h2>
 * Anything the bytecode does not spell out in one method: a member name built at run time
 * ({@code "ha" + "lt"}), read from a field, a resource or a message, or passed in from another
 * method; a lookup helper called with the class and name as arguments; reflective access to JDK
 * internals opened by command-line flags; native code ({@code System.loadLibrary}, the foreign
 * function API) and {@code Unsafe} memory writes, which can crash the JVM outright; threads that
 * never end, memory or CPU exhaustion (the host's supervisor and limits deal with those at run
 * time). A caught call in dead code is still refused: the scan does not follow control flow.
 *
 * <p>Stateless and thread-safe.
 */
public final class BytecodeScanner {

    /** The largest class file scanned, in bytes; a bigger entry is refused rather than read into memory. */
    public static final int MAX_CLASS_BYTES = 16 << 20;

    private BytecodeScanner() {}

    /**
     * Every forbidden call in the classes of {@code jar} (including multi-release versions), in
     * entry order.
     *
     * @throws PackageException when the file is not a regular file within
     *                          {@link FunctionPackage#MAX_JAR_BYTES}, not a readable jar, breaks the
     *                          entry limits ({@link FunctionPackage#MAX_ENTRIES},
     *                          {@link FunctionPackage#MAX_UNCOMPRESSED_BYTES}), has duplicate entries,
     *                          or a class in it is not a valid class file; naming the jar, the entry
     *                          and what is wrong
     */
    public static List<ForbiddenCall> scan(Path jar) {
        try (PackageJar opened = PackageJar.open(jar, jar.toString(), PackageJar.Limits.DEFAULT)) {
            return scan(opened);
        }
    }

    /** Every forbidden call in the classes of the opened {@code jar}, whose reads count against its limits. */
    static List<ForbiddenCall> scan(PackageJar jar) {
        List<ForbiddenCall> found = new ArrayList<>();
        for (ZipEntry entry : jar.entries()) {
            if (entry.isDirectory() || !entry.getName().endsWith(".class")) {
                continue;
            }
            byte[] bytes = jar.read(entry, MAX_CLASS_BYTES);
            if (bytes.length > MAX_CLASS_BYTES) {
                throw new PackageException(jar.where(entry) + " is larger than " + MAX_CLASS_BYTES
                        + " bytes uncompressed; it is refused unscanned");
            }
            found.addAll(scanClass(bytes, entry.getName(), jar.where(entry)));
        }
        return List.copyOf(found);
    }

    /**
     * Every forbidden call in one class file.
     *
     * @param classFile the class file's bytes
     * @param entry     its name, e.g. its jar entry, for {@link ForbiddenCall#entry()} and messages
     * @throws PackageException when {@code classFile} is not a valid class file
     */
    public static List<ForbiddenCall> scanClass(byte[] classFile, String entry) {
        return scanClass(classFile, entry, Printable.of(entry));
    }

    private static List<ForbiddenCall> scanClass(byte[] bytes, String entry, String where) {
        try {
            ClassFile parsed = ClassFile.parse(bytes);
            List<ForbiddenCall> found = new ArrayList<>();
            for (ClassFile.MethodSummary method : parsed.methods()) {
                found.addAll(CallRules.check(entry, parsed.name(), method));
            }
            return found;
        } catch (ClassFormatException e) {
            throw new PackageException(where + " is not a valid class file: " + e.getMessage(), e);
        }
    }
}
