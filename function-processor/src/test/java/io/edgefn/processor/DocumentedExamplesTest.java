package io.edgefn.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.testing.InMemoryCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java example of {@code docs/writing-functions.md} compiles, with the edgefn processor
 * checking it as it checks a user's build: a user who copies an example gets a function that
 * builds.
 *
 * <p>A {@code ```java} block is either whole source files (it has a {@code package} line; the
 * files of one section compile together, so a record in one block serves a function in the next)
 * or members of a function class (it starts with an annotation or {@code public}: the test wraps it
 * in an {@code @EdgeFunction} class with the usual imports). A block fenced {@code ```java fragment}
 * is statements out of context and is not compiled.
 */
class DocumentedExamplesTest {

    private static final Path GUIDE = Path.of("..", "docs", "writing-functions.md");
    private static final Pattern TYPE = Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum|@interface)\\s+(\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final String IMPORTS = """
            import com.fasterxml.jackson.databind.JsonNode;
            import io.edgefn.api.*;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.*;
            """;

    /** One {@code ```java} block: where it starts, its section, and its text. */
    record Block(int line, String section, String info, String text) {
        boolean fragment() {
            return info.contains("fragment");
        }

        boolean wholeFiles() {
            return PACKAGE.matcher(text).find();
        }
    }

    @Test
    void everyExampleCompiles() throws IOException {
        List<Block> blocks = blocks(Files.readAllLines(GUIDE));
        Map<String, Map<String, String>> filesBySection = new LinkedHashMap<>();
        Map<String, String> wrapped = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (Block b : blocks) {
            if (b.fragment()) {
                continue;
            }
            if (b.wholeFiles()) {
                String name = className(b);
                filesBySection.computeIfAbsent(b.section(), s -> new LinkedHashMap<>()).put(name, b.text());
                lineOf.put(name, b.line());
            } else {
                String name = "com.example.docs.Example" + b.line();
                wrapped.put(name, wrap(b));
                lineOf.put(name, b.line());
            }
        }
        List<Map<String, String>> compilations = new ArrayList<>(filesBySection.values());
        compilations.add(wrapped);
        List<String> problems = new ArrayList<>();
        for (Map<String, String> sources : compilations) {
            InMemoryCompiler.Result result = InMemoryCompiler.withClassPathProcessors().compile(sources);
            for (InMemoryCompiler.Message error : result.errors()) {
                Integer line = lineOf.entrySet().stream().filter(e -> error.source() != null
                        && (error.source().contains(e.getKey()) || error.source().contains(e.getKey().replace('.', '/'))))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                problems.add("the example at docs/writing-functions.md line " + line + ": " + error);
            }
            if (result.success()) {
                assertThat(result.text("META-INF/edgefn/functions.json"))
                        .as("the edgefn processor ran over %s", sources.keySet()).isPresent();
            }
        }
        assertThat(problems).as("every Java example of docs/writing-functions.md compiles").isEmpty();
    }

    @Test
    void theGuideHasExamplesToCheck() throws IOException {
        List<Block> blocks = blocks(Files.readAllLines(GUIDE));
        assertThat(blocks.stream().filter(b -> !b.fragment())).hasSizeGreaterThanOrEqualTo(5);
    }

    private static String wrap(Block b) {
        return "package com.example.docs;\n\n" + IMPORTS + "\n@EdgeFunction(\"doc-example-" + b.line() + "\")\n"
                + "public class Example" + b.line() + " {\n" + b.text() + "\n}\n";
    }

    private static String className(Block b) {
        Matcher p = PACKAGE.matcher(b.text());
        Matcher t = TYPE.matcher(b.text());
        if (!p.find() || !t.find()) {
            throw new AssertionError("docs/writing-functions.md line " + b.line()
                    + ": a block with a package line must declare a public type");
        }
        return p.group(1) + "." + t.group(1);
    }

    static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String section = "the top";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
            } else if (line.startsWith("```java") && (line.length() == 7 || line.charAt(7) == ' ')) {
                StringBuilder text = new StringBuilder();
                int start = i + 1;
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(start, section, line.substring(3), text.toString()));
            }
        }
        return blocks;
    }
}
