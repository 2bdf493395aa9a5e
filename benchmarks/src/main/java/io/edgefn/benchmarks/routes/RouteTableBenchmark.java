package io.edgefn.benchmarks.routes;

import io.edgefn.api.Message;
import io.edgefn.routes.DeliveryConsumer;
import io.edgefn.routes.RouteCompiler;
import io.edgefn.routes.RouteSpec;
import io.edgefn.routes.RouteTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Routing throughput of a 100-route table over 20 sources with properties-only conditions (run
 * with {@code -prof gc} to see allocation per message), and the time to compile such a table.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(3)
public class RouteTableBenchmark {

    private RouteTable table;
    private List<RouteSpec> specs;
    private Message[] messages;
    private int next;
    private DeliveryConsumer consumer;

    /** The 100 routes: 5 per source, a mix of typical conditions, to 10 function inputs and upstream. */
    static List<RouteSpec> hundredRoutes() {
        List<RouteSpec> specs = new ArrayList<>();
        String[] conditions = {
                "as_number(temp) > %d AND $connectionDeviceId = 'pump-01'",
                "unit = 'C' OR as_number(temp) < %d",
                "NOT is_defined(alarm) AND site <> 'south-%d'",
                "starts_with($connectionDeviceId, 'pump') AND as_number(temp) >= %d",
                "(as_number(pressure) ?? 0) > %d OR level = 'high'"};
        for (int i = 0; i < 100; i++) {
            int source = i % 20;
            String condition = String.format(conditions[i % conditions.length], 50 + i);
            String sink = i % 11 == 0 ? "$upstream" : "BrokeredEndpoint(\"/modules/f" + (i % 10) + "/inputs/in\")";
            specs.add(new RouteSpec("r" + i, "FROM /messages/modules/m" + source + "/outputs/out WHERE " + condition
                    + " INTO " + sink, i % 10, 0, false));
        }
        return specs;
    }

    /** Compiles the table and builds one message per source. */
    @Setup
    public void setUp(Blackhole bh) {
        consumer = (sink, priority, ttl, durable, route) -> bh.consume(sink);
        specs = hundredRoutes();
        table = RouteCompiler.create().compileTable(specs, null);
        messages = new Message[20];
        for (int s = 0; s < 20; s++) {
            messages[s] = Message.builder().property("temp", Integer.toString(60 + s * 3)).property("unit", "C")
                    .property("site", "north").property("pressure", "120")
                    .systemProperty("connectionDeviceId", "pump-01").systemProperty("connectionModuleId", "m" + s)
                    .systemProperty("outputName", "out").build();
        }
    }

    /** Routes one message (rotating over the 20 sources); the score is messages per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int routeMessage() {
        Message m = messages[next];
        next = next == 19 ? 0 : next + 1;
        return table.route(m, consumer);
    }

    /** Compiles the whole 100-route deployment. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RouteTable compileHundredRoutes() {
        return RouteCompiler.create().compileTable(specs, null);
    }
}
