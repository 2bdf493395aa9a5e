package io.edgefn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code routes} object: each route a string, or (where the document's form allows it)
 * a route spec object with priority, time to live and, in edgefn's own form, durability.
 *
 * <p>Owned by the one thread checking the document.
 */
final class RouteReader {

    /**
     * The largest route time to live, in seconds: edgeHub's (a {@code uint}), which the route
     * compiler also enforces; checked here so that the document names the route that breaks it.
     */
    static final long MAX_TIME_TO_LIVE_SECS = 0xFFFF_FFFFL;

    /** The keys of a route object in an edgefn deployment. */
    static final List<String> EDGEFN_KEYS = List.of("route", "priority", "timeToLiveSecs", "durable");

    /** The keys of a route object in an IoT Edge manifest (edgeHub's RouteSpec). */
    static final List<String> EDGE_HUB_KEYS = List.of("route", "priority", "timeToLiveSecs");

    private final Problems problems;
    private final Fields fields;

    RouteReader(Problems problems) {
        this.problems = problems;
        this.fields = new Fields(problems);
    }

    /**
     * The routes of the object at {@code path}, in document order.
     *
     * @param objectKeys the keys a route object may have, or {@code null} when only strings are
     *                   allowed
     * @param whyOnlyStrings why objects are refused, when they are
     */
    List<RouteEntry> read(ObjectNode routes, String path, List<String> objectKeys, String whyOnlyStrings) {
        List<RouteEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : routes.properties()) {
            String name = e.getKey();
            String at = LocatedJson.child(path, name);
            if (name.isBlank()) {
                problems.atKey(at, "a route name must not be empty");
                continue;
            }
            JsonNode value = e.getValue();
            if (value.isTextual()) {
                String text = routeText(value.textValue(), name, at);
                if (text != null) {
                    entries.add(new RouteEntry(name, text, null, 0, false, at));
                }
            } else if (value.isObject() && objectKeys == null) {
                problems.at(at, "route '" + name + "' is an object, but " + whyOnlyStrings);
            } else if (value.isObject()) {
                RouteEntry entry = object((ObjectNode) value, name, at, objectKeys);
                if (entry != null) {
                    entries.add(entry);
                }
            } else {
                problems.at(at, "route '" + name + "' must be a string"
                        + (objectKeys == null ? "" : " or an object with 'route'")
                        + ", not " + Fields.kind(value));
            }
        }
        return entries;
    }

    private RouteEntry object(ObjectNode route, String name, String at, List<String> keys) {
        problems.unknownKeys(route, at, keys);
        String text = fields.text(route, at, "route", true);
        if (text != null) {
            text = routeText(text, name, LocatedJson.child(at, "route"));
        }
        Integer priority = priority(route, name, at);
        Long ttl = fields.integer(route, at, "timeToLiveSecs", 0, MAX_TIME_TO_LIVE_SECS,
                "0 (use the store-and-forward time to live) to " + MAX_TIME_TO_LIVE_SECS + " seconds");
        Boolean durable = keys.contains("durable") ? fields.bool(route, at, "durable") : null;
        if (text == null) {
            return null;
        }
        return new RouteEntry(name, text, priority, ttl == null ? 0 : ttl, Boolean.TRUE.equals(durable), at);
    }

    private Integer priority(ObjectNode route, String name, String at) {
        JsonNode node = route.get("priority");
        if (node == null) {
            return null;
        }
        String path = LocatedJson.child(at, "priority");
        if (!node.isIntegralNumber()) {
            problems.at(path, "priority of route '" + name + "' must be a whole number 0-9, not "
                    + Fields.kind(node) + (node.isValueNode() && !node.isNull() ? " " + node : ""));
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < 0 || node.intValue() > 9) {
            problems.at(path, "priority " + node + " of route '" + name + "' is out of range 0-9 (0 is highest)");
            return null;
        }
        return node.intValue();
    }

    private String routeText(String text, String name, String at) {
        if (text.isBlank()) {
            problems.at(at, "route '" + name + "' is empty; write it as FROM <source> [WHERE <condition>] INTO <sink>");
            return null;
        }
        return text;
    }
}
