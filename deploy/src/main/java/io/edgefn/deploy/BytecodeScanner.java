package io.edgefn.deploy;

import io.edgefn.deploy.internal.ClassFile;
import io.edgefn.deploy.internal.ClassFormatException;
import io.edgefn.deploy.internal.ConstantPool.MemberRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Finds the calls in a function package that could take the host down: {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt}.
 *
 * <p>Java no longer has a SecurityManager, so a package that calls these is refused before any of
 * its code runs. The scanner reads every class's bytecode (see
 * {@link io.edgefn.deploy.internal.ClassFile}) and reports each invoke instruction that calls
 * them, and each method handle to them ({@code System::exit} compiles to an
 * {@code invokedynamic} whose bootstrap arguments hold one), naming the calling method.
 * A call made by reflection or through a method handle looked up by name is not visible in
 * bytecode and is not found.
 *
 * <p>Stateless and thread-safe.
 */
public final class BytecodeScanner {

    private static final Set<String> FORBIDDEN = Set.of(
            "java/lang/System.exit", "java/lang/Runtime.exit", "java/lang/Runtime.halt");

    /** The largest class file scanned, in bytes; a bigger entry is refused rather than read into memory. */
    public static final int MAX_CLASS_BYTES = 16 << 20;

    private BytecodeScanner() {}

    /**
     * Every forbidden call in the classes of {@code jar} (including multi-release versions), in
     * entry order.
     *
     * @throws PackageException when the file is not a readable jar or a class in it is not a valid
     *                          class file, naming the jar, the entry and what is wrong
     */
    public static List<ForbiddenCall> scan(Path jar) {
        List<ForbiddenCall> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory() || !entry.getName().endsWith(".class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readNBytes(MAX_CLASS_BYTES + 1);
                }
                if (bytes.length > MAX_CLASS_BYTES) {
                    throw new PackageException(jar + "!/" + entry.getName() + " is larger than " + MAX_CLASS_BYTES
                            + " bytes uncompressed; it is refused unscanned");
                }
                found.addAll(scanClass(bytes, entry.getName(), jar + "!/" + entry.getName()));
            }
        } catch (ZipException e) {
            throw new PackageException(jar + " is not a jar (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PackageException("cannot read " + jar + ": " + e.getClass().getSimpleName() + " "
                    + e.getMessage(), e);
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
        return scanClass(classFile, entry, entry);
    }

    private static List<ForbiddenCall> scanClass(byte[] bytes, String entry, String where) {
        try {
            ClassFile parsed = ClassFile.parse(bytes);
            List<ForbiddenCall> found = new ArrayList<>();
            for (ClassFile.MethodReference ref : parsed.methodReferences()) {
                MemberRef target = ref.target();
                if (FORBIDDEN.contains(target.owner() + "." + target.name())) {
                    found.add(new ForbiddenCall(entry, parsed.name(), ref.callerName() + ref.callerDescriptor(),
                            target.owner().replace('/', '.') + "." + target.name() + target.descriptor(), ref.via()));
                }
            }
            return found;
        } catch (ClassFormatException e) {
            throw new PackageException(where + " is not a valid class file: " + e.getMessage(), e);
        }
    }
}
