package io.edgefn.app.cli;

import io.edgefn.app.sdk.EdgefnHome;
import io.edgefn.app.sdk.ProjectTemplate;
import io.edgefn.app.sdk.SdkInstaller;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgefn new}: a function project from the project template (the archetype
 * {@code io.edgefn:edgefn-archetype}; {@code mvn archetype:generate} makes the same project).
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Creates a Maven project of functions in DIR: the sample temperature-filter, its test on the"
                + " test kit, and a deployment.json that routes device telemetry through it to $upstream."
                + " Build it with mvn package after ./edgefn sdk install."})
final class NewCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "The new project's directory (its name becomes the artifactId); must be new or empty.")
    Path dir;

    @Option(names = "--package", paramLabel = "NAME", defaultValue = "com.example.functions",
            description = "The Java package of the sample, also the project's groupId (default ${DEFAULT-VALUE}).")
    String javaPackage;

    @Override
    public Integer call() throws Exception {
        Path target = dir.toAbsolutePath().normalize();
        Map<String, String> properties = ProjectTemplate.properties(target, javaPackage);
        SdkInstaller sdk = SdkInstaller.of(EdgefnHome.find());
        List<Path> files = ProjectTemplate.in(sdk.archetypeJar()).generate(target, properties);
        System.out.println("created " + target + " (" + properties.get("groupId") + ":" + properties.get("artifactId") + "):");
        files.forEach(f -> System.out.println("  " + f));
        Path bom = SdkInstaller.defaultRepository().resolve("io/edgefn/edgefn-bom").resolve(sdk.version());
        if (!java.nio.file.Files.isDirectory(bom)) {
            System.out.println("note: edgefn's SDK is not in " + SdkInstaller.defaultRepository() + " yet; run ./edgefn sdk install"
                    + " before mvn package");
        }
        System.out.println("next: cd " + dir + " && mvn package, then ./edgefn run --deployment " + dir.resolve("deployment.json"));
        return 0;
    }
}
