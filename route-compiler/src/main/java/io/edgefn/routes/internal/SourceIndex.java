package io.edgefn.routes.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An index from a message's source to the routes whose source matches it, equivalent to testing
 * every route with {@link Sources#matches} but without building the message's source string.
 *
 * <p>A canonical route source matches by whole {@code /}-separated segments, so each route falls
 * in one class: every message ({@code /}), twin notifications, every {@code /messages} source,
 * every module, one module with or without output, one module with any output, one module and
 * output, or nothing. The candidate list of each kind of message source is computed once; lookups
 * ignore case without allocating. Immutable and thread-safe.
 */
public final class SourceIndex {

    private static final int[] NONE = new int[0];

    private final int[] twin;
    private final int[] device;
    private final int[] unknownModule;
    private final Map<String, ModuleRoutes> modules = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private static final class ModuleRoutes {
        int[] noOutput = NONE;
        int[] unknownOutput = NONE;
        final Map<String, int[]> outputs = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    /** An index of routes with these canonical sources (route {@code i} has {@code canonicalSources.get(i)}). */
    public SourceIndex(List<String> canonicalSources) {
        List<Integer> all = new ArrayList<>();
        List<Integer> twinRoutes = new ArrayList<>();
        List<Integer> messages = new ArrayList<>();
        List<Integer> anyModule = new ArrayList<>();
        Map<String, List<Integer>> moduleAnyOutputOrNone = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, List<Integer>> moduleAnyOutput = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, Map<String, List<Integer>>> moduleOutput = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < canonicalSources.size(); i++) {
            String canonical = canonicalSources.get(i);
            String[] segs = canonical.length() <= 1 ? new String[0]
                    : canonical.substring(1, canonical.length() - 1).split("/", -1);
            if (segs.length == 0) {
                all.add(i);
            } else if (segs.length == 1 && segs[0].equalsIgnoreCase("twinChangeNotifications")) {
                twinRoutes.add(i);
            } else if (segs[0].equalsIgnoreCase("messages")) {
                if (segs.length == 1) {
                    messages.add(i);
                } else if (segs[1].equalsIgnoreCase("modules")) {
                    switch (segs.length) {
                        case 2 -> anyModule.add(i);
                        case 3 -> moduleAnyOutputOrNone.computeIfAbsent(segs[2], k -> new ArrayList<>()).add(i);
                        case 4 -> {
                            if (segs[3].equalsIgnoreCase("outputs")) {
                                moduleAnyOutput.computeIfAbsent(segs[2], k -> new ArrayList<>()).add(i);
                            }
                        }
                        case 5 -> {
                            if (segs[3].equalsIgnoreCase("outputs")) {
                                moduleOutput.computeIfAbsent(segs[2], k -> new TreeMap<>(String.CASE_INSENSITIVE_ORDER))
                                        .computeIfAbsent(segs[4], k -> new ArrayList<>()).add(i);
                            }
                        }
                        default -> { } // deeper sources match no message
                    }
                }
            }
        }
        twin = merge(all, twinRoutes);
        device = merge(all, messages);
        unknownModule = merge(all, messages, anyModule);
        List<String> moduleIds = new ArrayList<>(moduleAnyOutputOrNone.keySet());
        moduleIds.addAll(moduleAnyOutput.keySet());
        moduleIds.addAll(moduleOutput.keySet());
        for (String id : moduleIds) {
            if (modules.containsKey(id)) {
                continue;
            }
            ModuleRoutes m = new ModuleRoutes();
            List<Integer> base = moduleAnyOutputOrNone.getOrDefault(id, List.of());
            List<Integer> withOutput = moduleAnyOutput.getOrDefault(id, List.of());
            m.noOutput = merge(all, messages, anyModule, base);
            m.unknownOutput = merge(all, messages, anyModule, base, withOutput);
            for (Map.Entry<String, List<Integer>> e : moduleOutput.getOrDefault(id, Map.of()).entrySet()) {
                m.outputs.put(e.getKey(), merge(all, messages, anyModule, base, withOutput, e.getValue()));
            }
            modules.put(id, m);
        }
    }

    private static int[] merge(List<?>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).mapToInt(i -> (Integer) i).sorted().distinct().toArray();
    }

    /** The indexes, in route order, of the routes whose source matches {@code message}'s source. */
    public int[] candidates(Message message) {
        if (SystemProperties.TWIN_CHANGE_NOTIFICATION.equals(message.systemProperty(SystemProperties.MESSAGE_TYPE))) {
            return twin;
        }
        String module = message.systemProperty(SystemProperties.CONNECTION_MODULE_ID);
        if (module == null) {
            return device;
        }
        ModuleRoutes routes = modules.get(module);
        if (routes == null) {
            return unknownModule;
        }
        String output = message.systemProperty(SystemProperties.OUTPUT_NAME);
        if (output == null) {
            return routes.noOutput;
        }
        int[] forOutput = routes.outputs.get(output);
        return forOutput != null ? forOutput : routes.unknownOutput;
    }
}
