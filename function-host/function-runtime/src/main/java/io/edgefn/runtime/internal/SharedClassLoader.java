package io.edgefn.runtime.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;

/**
 * The parent of every function package's class loader: it lets a package see the Java platform,
 * the edgefn API and the libraries the host provides (Jackson, SLF4J, and Micronaut's runtime,
 * which the package's generated bean definitions need) — and nothing else of the host. A package
 * that bundles its own copy of some other library gets its own copy; it can never reach the
 * host's internals or another package's classes.
 *
 * <p>Resources are looked up in the host unfiltered, because Micronaut finds bean definitions
 * through them; the host keeps only the definitions whose class loader is the package's.
 * Thread-safe, like any parallel-capable class loader.
 */
final class SharedClassLoader extends ClassLoader {

    /** Package prefixes a function package may load from the host. */
    static final List<String> SHARED_PREFIXES = List.of(
            "io.edgefn.api.",
            "com.fasterxml.jackson.",
            "org.slf4j.",
            "io.micronaut.",
            "jakarta.inject.",
            "jakarta.annotation.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    /** A loader sharing {@link #SHARED_PREFIXES} from {@code host}. */
    SharedClassLoader(ClassLoader host) {
        super("edgefn-shared", ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        throw new ClassNotFoundException(name + " is not provided to function packages (only the edgefn API, "
                + "Jackson, SLF4J and Micronaut's runtime are); bundle it in the package jar");
    }

    @Override
    protected URL findResource(String name) {
        return host.getResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return host.getResources(name);
    }

    static boolean isShared(String className) {
        for (String prefix : SHARED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
