package io.edgefn.app.cli;

import io.edgefn.app.sdk.EdgefnHome;
import io.edgefn.app.sdk.SdkInstaller;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgefn sdk}: what a function author's own Maven build needs from edgefn. */
@Command(name = "sdk", mixinStandardHelpOptions = true,
        description = "Puts edgefn's SDK (API, processor, BOM, test kit, project template) where Maven finds it.",
        subcommands = {SdkCommand.Install.class})
final class SdkCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code edgefn sdk install}: copies the SDK's built artifacts into a local Maven repository
     * ({@link SdkInstaller}); offline, since the launcher has built them.
     */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Installs io.edgefn:edgefn-api, edgefn-processor, edgefn-bom, edgefn-test and edgefn-archetype"
                    + " (and the edgefn artifacts they need) into a local Maven repository. Works offline."})
    static final class Install implements Callable<Integer> {

        @Option(names = "--repository", paramLabel = "DIR",
                description = "The local Maven repository to install into (default: ~/.m2/repository, Maven's own).")
        Path repository;

        @Override
        public Integer call() throws Exception {
            Path repo = repository != null ? repository.toAbsolutePath().normalize() : SdkInstaller.defaultRepository();
            SdkInstaller installer = SdkInstaller.of(EdgefnHome.find());
            List<Path> files = installer.install(repo);
            System.out.println("installed edgefn " + installer.version() + "'s SDK into " + repo + " ("
                    + SdkInstaller.ARTIFACTS.size() + " artifacts, " + files.size() + " files)");
            for (SdkInstaller.Artifact a : SdkInstaller.ARTIFACTS) {
                System.out.println("  " + SdkInstaller.GROUP_ID + ":" + a.artifactId() + ":" + installer.version());
            }
            System.out.println("next: ./edgefn new DIR --package com.example.fns"
                    + (repository != null ? " (and build it with mvn -Dmaven.repo.local=" + repo + ")" : ""));
            return 0;
        }
    }
}
