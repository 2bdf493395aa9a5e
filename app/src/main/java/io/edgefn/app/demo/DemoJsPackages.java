package io.edgefn.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.FunctionPackage;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The demo's packages for {@code --js}: the JavaScript anomaly detector (packed at build time by
 * {@code io.edgefn.js.JsPackager} into {@code edgefn/demo/pump-js.jar}) beside the Java pump
 * package with its own anomaly detector taken out of its index — a deployment's function names
 * are unique, so one of the two must go; its class stays in the jar, unwired.
 *
 * <p>Stateless; used on the demo's thread.
 */
final class DemoJsPackages {

    private DemoJsPackages() {
    }

    /**
     * Rewrites the Java package {@code javaJar} without {@code function} in its index, and copies
     * the JavaScript package to {@code jsJar}.
     */
    static void replaceWithJs(Path javaJar, Path jsJar, String function) throws IOException {
        try (InputStream in = DemoJsPackages.class.getResourceAsStream("/edgefn/demo/pump-js.jar")) {
            if (in == null) {
                throw new IOException("this runtime jar was built without the demo's JavaScript package "
                        + "(edgefn/demo/pump-js.jar); rebuild with ./edgefn");
            }
            Files.copy(in, jsJar, StandardCopyOption.REPLACE_EXISTING);
        }
        Path rewritten = javaJar.resolveSibling(javaJar.getFileName() + ".tmp");
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(javaJar));
             OutputStream file = Files.newOutputStream(rewritten);
             ZipOutputStream zout = new ZipOutputStream(file)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                byte[] bytes = zin.readAllBytes();
                if (e.getName().equals(FunctionIndex.RESOURCE)) {
                    FunctionIndex index = FunctionIndex.parse(new ByteArrayInputStream(bytes), javaJar + "!/" + e.getName());
                    bytes = new FunctionIndex(index.format(), index.functions().stream()
                            .filter(f -> !f.name().equals(function)).toList()).toJson().getBytes(StandardCharsets.UTF_8);
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                zout.putNextEntry(copy);
                zout.write(bytes);
                zout.closeEntry();
            }
        }
        Files.move(rewritten, javaJar, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The demo deployment {@code json} with {@code function}'s settings moved to a package of its own at {@code jsJar}. */
    static String deployJs(String json, String jsJar, String function) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(json);
        ObjectNode packages = (ObjectNode) root.get("packages");
        ObjectNode pumpSettings = (ObjectNode) packages.get("pump").get("settings");
        ObjectNode js = packages.putObject("pump-js");
        js.put("file", jsJar);
        js.putObject("settings").set(function, pumpSettings.remove(function));
        return mapper.writeValueAsString(root);
    }

    /** The runtime of each function of the packages in {@code folder}, by name. */
    static Map<String, String> runtimes(Path folder) throws IOException {
        Map<String, String> runtimes = new TreeMap<>();
        try (Stream<Path> jars = Files.list(folder)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                for (FunctionDescriptor f : FunctionPackage.open(jar, null).index().functions()) {
                    runtimes.put(f.name(), f.runtime());
                }
            }
        }
        return runtimes;
    }
}
