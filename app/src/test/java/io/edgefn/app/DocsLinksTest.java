package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation is self-contained: every relative link in the README, the module READMEs
 * and {@code docs/} names a file or folder of this repository, and nothing links outside it (a
 * user's clone has no shared folder beside it).
 */
class DocsLinksTest {

    /** {@code [text](target)} or {@code [text](target "title")}; images too. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");
    /** The folder beside the repository that documents once linked to (spelt so this file does not name it). */
    private static final String BESIDE = ".." + "/shared";
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");

    @Test
    void relativeLinks_inReadmesAndDocs_allResolveInsideTheRepository() throws IOException {
        Path root = repositoryRoot();
        List<String> broken = new ArrayList<>();
        for (Path doc : documents(root)) {
            String text = CODE_SPAN.matcher(FENCE.matcher(Files.readString(doc)).replaceAll("")).replaceAll("");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || target.startsWith("#")) {
                    continue; // a URL (https:, mailto:) or an anchor in the same page
                }
                String file = target.replaceFirst("#.*$", "");
                Path resolved = doc.getParent().resolve(file).normalize();
                if (!resolved.startsWith(root)) {
                    broken.add(root.relativize(doc) + ": " + target + " (outside the repository)");
                } else if (!Files.exists(resolved)) {
                    broken.add(root.relativize(doc) + ": " + target + " (no such file)");
                }
            }
        }
        assertThat(broken).as("links that do not resolve inside the repository").isEmpty();
    }

    @Test
    void noDocumentOrSource_pointsAtAFolderBesideTheRepository() throws IOException {
        Path root = repositoryRoot();
        List<String> outside = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".java"))
                    .forEach(p -> {
                        try {
                            if (Files.readString(p).contains(BESIDE)) {
                                outside.add(root.relativize(p).toString());
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        assertThat(outside).as("files naming " + BESIDE).isEmpty();
    }

    private static List<Path> documents(Path root) throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        try (Stream<Path> modules = Files.list(root)) {
            modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(docs::add);
        }
        return docs;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("README.md"))
                    && Files.isRegularFile(p.resolve("edgefn"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
