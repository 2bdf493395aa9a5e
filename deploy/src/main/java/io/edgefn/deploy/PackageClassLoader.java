package io.edgefn.deploy;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.SecureClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * The class loader of one checked function package: it defines classes from that one jar's
 * entries (multi-release versions included) and finds resources in it, after asking its parent
 * first, and it reads nothing else.
 *
 * <p>Unlike a {@link java.net.URLClassLoader}, it never follows a {@code Class-Path} in the jar's
 * manifest (nor a jar index): {@link FunctionPackage#open} refuses such a manifest, and this
 * loader would not load the jars it names even if one slipped through, so every class it defines
 * is one {@link BytecodeScanner} has seen. Resource URLs are ordinary {@code jar:file:…!/entry}
 * URLs, so libraries that list a jar's directories through them (Micronaut finds bean
 * definitions that way) work as with a {@code URLClassLoader}.
 *
 * <p>Thread-safe and parallel capable. {@link #close} closes the jar; classes already defined
 * keep working, and loading more fails with {@link ClassNotFoundException}.
 */
public final class PackageClassLoader extends SecureClassLoader implements Closeable {

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String base;
    private final CodeSource codeSource;

    PackageClassLoader(String name, Path file, ClassLoader parent) throws IOException {
        super(name, parent);
        URL url = file.toUri().toURL();
        this.base = "jar:" + url.toExternalForm() + "!/"; // jar:file:/path!/, as URLClassLoader writes it
        this.codeSource = new CodeSource(url, (CodeSigner[]) null);
        // Not verified: a package is trusted by the SHA-256 its deployment names, not by jar signing.
        this.jar = new JarFile(file.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes;
        try {
            JarEntry entry = jar.getJarEntry(name.replace('.', '/').concat(".class"));
            if (entry == null) {
                throw new ClassNotFoundException(name);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                bytes = in.readNBytes(BytecodeScanner.MAX_CLASS_BYTES + 1);
            }
        } catch (IOException | IllegalStateException e) { // IllegalStateException: the jar is closed
            throw new ClassNotFoundException(name + " cannot be read from " + jar.getName() + ": " + e, e);
        }
        if (bytes.length > BytecodeScanner.MAX_CLASS_BYTES) {
            throw new ClassFormatError(name + " is larger than " + BytecodeScanner.MAX_CLASS_BYTES + " bytes");
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, codeSource);
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot <= 0) {
            return;
        }
        String packageName = className.substring(0, dot);
        if (getDefinedPackage(packageName) == null) {
            try {
                definePackage(packageName, null, null, null, null, null, null, null);
            } catch (IllegalArgumentException definedMeanwhile) {
                // Another thread defined it first: the same package.
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        JarEntry entry = entry(name);
        if (entry == null) {
            return null;
        }
        try {
            // As URLClassLoader names them: a versioned entry by its real name.
            return URI.create(base + encode(jar.isMultiRelease() ? entry.getRealName() : name)).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
    }

    /** The resource from the parent if it has it, else read straight from this jar. */
    @Override
    public InputStream getResourceAsStream(String name) {
        URL url = getResource(name);
        if (url == null) {
            return null;
        }
        try {
            if (url.toString().startsWith(base)) {
                JarEntry entry = entry(name);
                return entry == null ? null : jar.getInputStream(entry);
            }
            return url.openStream();
        } catch (IOException | IllegalStateException e) {
            return null;
        }
    }

    private JarEntry entry(String name) {
        try {
            return jar.getJarEntry(name);
        } catch (IllegalStateException closed) {
            return null;
        }
    }

    /** Percent-encodes what a URL path may not hold, byte by byte in UTF-8. */
    private static String encode(String path) {
        StringBuilder s = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                s.append((char) c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        jar.close();
    }

    @Override
    public String toString() {
        return "PackageClassLoader[" + getName() + ", " + jar.getName() + "]";
    }
}
