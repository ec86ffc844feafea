package dev.vaultx.pool.cli;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.JmxConnectorSupport;
import dev.vaultx.pool.jmx.JmxServer;
import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.Registration;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The demo: a simulated cluster on 127.0.0.1, steady reads through the pool, a table every second,
 * the active node stopped a third of the way in (a standby takes over) and back two thirds in, a JMX
 * port for JConsole, and a summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a simulated Vault cluster on 127.0.0.1, drives steady reads through the pool and prints "
                + "a table every second (per node: role, breaker, connections, req/s, p99, errors).",
                "A third of the way in the active node stops and a standby takes over; two thirds in the node comes "
                        + "back. Ends with a summary. While it runs, JConsole can attach to the printed address."})
final class DemoCommand implements Callable<Integer> {

    private static final String TOKEN = "demo-token";

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the demo runs, at least 1s (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N",
            description = "Simulated nodes, 1-9 (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "N",
            description = "Reads in flight at once, 1-1000 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--no-fault", description = "Do not stop the active node.")
    boolean noFault;

    @Option(names = "--jmx-port", defaultValue = "0", paramLabel = "PORT",
            description = "JMX/RMI port on 127.0.0.1 for JConsole: 0 picks a free one, -1 opens none (default: ${DEFAULT-VALUE}).")
    int jmxPort;

    /** A role or breaker change seen by the pool, or a step of the fault script. */
    private record Event(long atMillis, String text) {
    }

    @Override
    public Integer call() throws Exception {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofDays(1)) > 0) {
            throw VaultxPoolCli.invalid(spec, "--duration", DurationConverter.format(duration), "a duration from 1s to 24h");
        }
        VaultxPoolCli.requireRange(spec, "--nodes", nodes, 1, 9);
        VaultxPoolCli.requireRange(spec, "--concurrency", concurrency, 1, 1000);
        VaultxPoolCli.requireRange(spec, "--jmx-port", jmxPort, -1, 65535);
        PrintWriter out = spec.commandLine().getOut();
        int seconds = (int) Math.max(1, duration.toSeconds());
        boolean fault = !noFault;
        if (fault && (nodes < 2 || seconds < 3)) {
            out.println("(no fault: it needs at least 2 nodes and 3 seconds)");
            fault = false;
        }

        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(nodes).journal(false).start()) {
            cluster.put("app", Map.of("username", "demo", "password", "not-a-real-secret"));
            PoolConfig config = PoolConfig.builder().name("demo").nodeUris(cluster.urls()).size(8).maxOverflow(4)
                    .healthCheckInterval(Duration.ofSeconds(2)).healthCheckTimeout(Duration.ofMillis(500))
                    .attemptTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10)).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config);
                 JmxServer jmx = jmxPort >= 0 ? JmxConnectorSupport.start(jmxPort) : null;
                 Registration mbeans = jmx != null ? PoolMBeans.register(pool) : null) {
                PoolHealth ready = pool.awaitReady(Duration.ofSeconds(5));
                out.printf("vaultx-pool demo: %d simulated nodes %s%n", nodes, cluster.urls());
                out.printf("reading /v1/secret/data/app with %d requests in flight for %ds%s%n", concurrency, seconds,
                        fault ? "; the active node fails at t=" + faultAt(seconds) + "s and is back at t="
                                + recoverAt(seconds) + "s" : "");
                if (jmx != null) {
                    out.printf("JMX: jconsole %s%n", jmx.url());
                    out.printf("     MBeans %s (attributes, operations resize/drain/resume/...)%n",
                            mbeans.objectNames().get(0));
                } else {
                    out.println("JMX: off (--jmx-port -1)");
                }
                out.printf("pool is %s, active node %s%n%n", ready.status(), ready.activeNode());
                out.flush();
                run(out, pool, cluster, seconds, fault);
            }
        }
        return 0;
    }

    private static int faultAt(int seconds) {
        return Math.max(1, seconds / 3);
    }

    private static int recoverAt(int seconds) {
        return Math.max(faultAt(seconds) + 1, 2 * seconds / 3);
    }

    private void run(PrintWriter out, AsyncHttpConnectionPool pool, SimulatedVaultCluster cluster, int seconds,
                     boolean fault) throws InterruptedException {
        long t0 = System.nanoTime();
        ConcurrentLinkedQueue<Event> pending = new ConcurrentLinkedQueue<>();
        List<Event> timeline = new ArrayList<>();
        AutoCloseable listener = pool.addListener(new PoolListener() {
            @Override
            public void onRoleChange(String p, URI node, NodeRole from, NodeRole to) {
                pending.add(new Event(millisSince(t0), "pool sees " + node + " as " + to + " (was " + from + ")"));
            }

            @Override
            public void onCircuitStateChange(String p, URI node, CircuitState from, CircuitState to) {
                pending.add(new Event(millisSince(t0), "breaker of " + node + " " + to + " (was " + from + ")"));
            }
        });
        Outcomes outcomes = new Outcomes(cluster.urls());
        Map<URI, LatencyRecorder> perNodeLatency = new ConcurrentHashMap<>();
        for (URI u : cluster.urls()) {
            perNodeLatency.put(u, new LatencyRecorder());
        }
        LatencyRecorder interval = new LatencyRecorder();
        VaultRequest read = VaultRequest.get("/v1/secret/data/app").token(TOKEN).build();
        LoadDriver driver = new LoadDriver(pool, read, concurrency, 0, outcomes, (VaultResponse r, Throwable e, long nanos) -> {
            interval.record(nanos);
            if (r != null && r.node() != null) {
                perNodeLatency.computeIfAbsent(r.node(), k -> new LatencyRecorder()).record(nanos);
            }
        });
        long[] lastTries = new long[cluster.size()];
        long lastTick = System.nanoTime();
        driver.start();
        for (int second = 1; second <= seconds; second++) {
            long wake = t0 + second * 1_000_000_000L;
            long sleep = (wake - System.nanoTime()) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            if (fault && second == faultAt(seconds)) {
                String text = "stopping the active node " + cluster.node(0).uri() + "; " + cluster.node(1).uri()
                        + " wins the election";
                out.printf("%n>>> t=%ds: %s%n%n", second, text);
                timeline.add(new Event(millisSince(t0), ">>> " + text));
                cluster.node(0).stop();
                cluster.electLeader(1);
            }
            if (fault && second == recoverAt(seconds)) {
                String text = "node " + cluster.node(0).uri() + " is back, as a standby";
                out.printf("%n>>> t=%ds: %s%n%n", second, text);
                timeline.add(new Event(millisSince(t0), ">>> " + text));
                cluster.node(0).setRole(NodeRole.STANDBY);
                cluster.node(0).start();
            }
            long now = System.nanoTime();
            printTable(out, second, pool, lastTries, (now - lastTick) / 1e9, interval, perNodeLatency, pending, timeline);
            lastTick = now;
        }
        driver.stop();
        boolean drained = driver.awaitInFlight(pool.config().requestTimeout().plusSeconds(2));
        long elapsed = System.nanoTime() - t0;
        drainEvents(pending, timeline, null);
        try {
            listener.close();
        } catch (Exception ignored) {
            // closing a listener handle does not fail
        }
        printSummary(out, pool, outcomes, elapsed, drained, timeline);
    }

    static long connectionsOpened(PoolStats s) {
        return s.nodes().stream().mapToLong(NodeStats::connectionsOpened).sum();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void drainEvents(ConcurrentLinkedQueue<Event> pending, List<Event> timeline, PrintWriter out) {
        Event e;
        while ((e = pending.poll()) != null) {
            timeline.add(e);
            if (out != null) {
                out.printf("  * t=%5.1fs %s%n", e.atMillis() / 1000.0, e.text());
            }
        }
    }

    private static void printTable(PrintWriter out, int second, AsyncHttpConnectionPool pool, long[] lastTries,
                                   double intervalSeconds, LatencyRecorder interval, Map<URI, LatencyRecorder> perNode,
                                   ConcurrentLinkedQueue<Event> pending, List<Event> timeline) {
        LatencyRecorder.Snapshot all = interval.drain();
        PoolStats stats = pool.stats();
        PoolHealth health = pool.health();
        out.printf("t=%3ds  pool %-8s  %6.0f req/s  p99 %6.1f ms  requests %d  failed %d%n", second, health.status(),
                all.count() / Math.max(0.001, intervalSeconds), all.percentileMs(99), stats.totalRequests(),
                stats.failedRequests());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  node", "role", "breaker", "active", "idle", "opened", "req/s", "p99 ms", "errors"});
        for (int i = 0; i < stats.nodes().size(); i++) {
            NodeStats n = stats.nodes().get(i);
            NodeHealth h = health.nodes().get(i);
            long rate = Math.round((n.totalRequests() - lastTries[i]) / Math.max(0.001, intervalSeconds));
            lastTries[i] = n.totalRequests();
            LatencyRecorder rec = perNode.get(n.node());
            LatencyRecorder.Snapshot s = rec == null ? LatencyRecorder.Snapshot.empty() : rec.drain();
            rows.add(new String[] {"  " + n.node(), h.role().name(), h.circuitState().name(),
                    String.valueOf(n.activeConnections()), String.valueOf(n.idleConnections()),
                    String.valueOf(n.connectionsOpened()), String.valueOf(rate),
                    s.count() == 0 ? "-" : String.format("%.1f", s.percentileMs(99)), String.valueOf(n.failedRequests())});
        }
        Table.print(out, rows);
        drainEvents(pending, timeline, out);
        out.flush();
    }

    private static void printSummary(PrintWriter out, AsyncHttpConnectionPool pool, Outcomes o, long elapsedNanos,
                                     boolean drained, List<Event> timeline) {
        LatencyRecorder.Snapshot lat = o.latencies().snapshot();
        PoolStats s = pool.stats();
        PoolHealth h = pool.health();
        long failedTries = s.nodes().stream().mapToLong(NodeStats::failedRequests).sum();
        out.println();
        out.println("summary");
        out.println("  what happened:");
        timeline.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
        if (timeline.isEmpty()) {
            out.println("    nothing: every node kept its role and every breaker stayed closed");
        }
        for (Event e : timeline) {
            out.printf("    t=%5.1fs %s%n", e.atMillis() / 1000.0, e.text());
        }
        Map<String, Long> kinds = o.failuresByKind();
        out.printf("  requests: %d in %.1f s (%.0f req/s), %d succeeded, %d failed%s%n", o.requests(), elapsedNanos / 1e9,
                o.requests() / (elapsedNanos / 1e9), o.succeeded(), o.failed(), kinds.isEmpty() ? "" : " "
                        + kinds.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "(", ")")));
        out.printf("  failed tries retried on another node: %d%n", failedTries);
        out.printf("  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", lat.percentileMs(50), lat.percentileMs(90),
                lat.percentileMs(99), lat.maxMs());
        out.printf("  answered per node: %s%n", o.perNode());
        out.printf("  pool stats: total=%d active=%d idle=%d pending=%d totalRequests=%d failedRequests=%d "
                        + "connectionsOpened=%d%n", s.totalConnections(), s.activeConnections(), s.idleConnections(),
                s.pendingRequests(), s.totalRequests(), s.failedRequests(), connectionsOpened(s));
        out.printf("  pool health: %s, active node %s%n", h.status(), h.activeNode());
        if (!drained) {
            out.println("  note: some requests were still in flight at the end");
        }
        out.println(o.failed() == 0 ? "result: 0 failed requests: the failover was invisible to the application"
                : "result: " + o.failed() + " failed requests");
        out.flush();
    }
}
