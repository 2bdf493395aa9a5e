package io.edgefn.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Writes jar files for tests, the way the {@code jar} tool lays them out: entries in name order,
 * each preceded by an entry for every directory above it. Directory entries matter: Micronaut
 * finds a package's bean definitions by listing a directory, which a class loader can only do in
 * a jar that has an entry for it. Stateless.
 */
public final class Jars {

    private Jars() {
    }

    /**
     * Writes a jar at {@code file} holding {@code entries} (entry name, such as
     * {@code com/example/Echo.class}, to bytes) and the directory entries above them; replaces any
     * file there.
     *
     * @return {@code file}
     */
    public static Path write(Path file, Map<String, byte[]> entries) throws IOException {
        Set<String> directories = new HashSet<>();
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
                String name = e.getKey();
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    String directory = name.substring(0, slash + 1);
                    if (directories.add(directory)) {
                        jar.putNextEntry(new JarEntry(directory));
                        jar.closeEntry();
                    }
                }
                jar.putNextEntry(new JarEntry(name));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return file;
    }
}
