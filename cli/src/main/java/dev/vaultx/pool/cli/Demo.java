package dev.vaultx.pool.cli;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo: a 3-node simulated Vault cluster, steady reads through the pool, a table every second,
 * and a failure of the active node half-way (a standby takes over; the node comes back later).
 *
 * <p>Usage: {@code Demo [--duration SECONDS] [--nodes N] [--concurrency N] [--no-fault]}.
 */
public final class Demo {

    private static final String TOKEN = "demo-token";

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int duration = 20;
        int nodes = 3;
        int concurrency = 32;
        boolean fault = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration": duration = Integer.parseInt(args[++i]); break;
                case "--nodes": nodes = Integer.parseInt(args[++i]); break;
                case "--concurrency": concurrency = Integer.parseInt(args[++i]); break;
                case "--no-fault": fault = false; break;
                default:
                    System.err.println("unknown argument: " + args[i]
                            + " (expected: --duration SECONDS, --nodes N, --concurrency N, --no-fault)");
                    System.exit(2);
            }
        }
        if (nodes < 2 && fault) {
            fault = false;
        }
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(nodes)) {
            cluster.put("app", Map.of("username", "demo", "password", "not-a-real-secret"));
            PoolConfig config = PoolConfig.builder().name("demo").nodeUris(cluster.urls()).size(8).maxOverflow(4)
                    .healthCheckInterval(Duration.ofSeconds(2)).healthCheckTimeout(Duration.ofMillis(500))
                    .attemptTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10)).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                PoolHealth ready = pool.awaitReady(Duration.ofSeconds(5));
                System.out.printf("vaultx-pool demo: %d nodes %s, %d reads in flight, %d s%n", nodes, cluster.urls(),
                        concurrency, duration);
                System.out.printf("pool is %s, active node %s%n%n", ready.status(), ready.activeNode());
                run(pool, cluster, duration, concurrency, fault);
            }
        }
    }

    private static void run(ConnectionPool pool, SimulatedVaultCluster cluster, int duration, int concurrency,
                            boolean fault) throws InterruptedException {
        LongAdder ok = new LongAdder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicBoolean running = new AtomicBoolean(true);
        VaultRequest read = VaultRequest.get("/v1/secret/data/app").token(TOKEN).build();
        Thread driver = new Thread(() -> {
            while (running.get()) {
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                long start = System.nanoTime();
                pool.requestAsync(read).whenComplete((r, e) -> {
                    inFlight.release();
                    latencies.add(System.nanoTime() - start);
                    if (e == null && r.isSuccess()) {
                        ok.increment();
                    } else {
                        String kind = e != null ? rootName(e) : "HTTP " + r.status();
                        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
                    }
                });
            }
        }, "demo-driver");
        driver.start();
        long[] lastTries = new long[cluster.size()];
        for (int second = 1; second <= duration; second++) {
            Thread.sleep(1000);
            if (fault && second == duration / 3) {
                System.out.printf("%n>>> t=%ds: stopping the active node %s; node %s becomes active%n%n",
                        second, cluster.node(0).uri(), cluster.node(1).uri());
                cluster.node(0).stop();
                cluster.electLeader(1);
            }
            if (fault && second == 2 * duration / 3) {
                System.out.printf("%n>>> t=%ds: node %s is back, as a standby%n%n", second, cluster.node(0).uri());
                cluster.node(0).setRole(dev.vaultx.pool.NodeRole.STANDBY);
                cluster.node(0).start();
            }
            printTable(second, pool, lastTries, latencies);
        }
        running.set(false);
        driver.interrupt();
        driver.join();
        inFlight.acquire(concurrency);
        long failed = failures.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("%nsummary: %d requests, %d succeeded, %d failed %s%n", ok.sum() + failed, ok.sum(), failed,
                failures.isEmpty() ? "" : failures);
        PoolStats s = pool.stats();
        System.out.printf("pool stats: total=%d active=%d idle=%d pending=%d totalRequests=%d failedRequests=%d%n",
                s.totalConnections(), s.activeConnections(), s.idleConnections(), s.pendingRequests(), s.totalRequests(),
                s.failedRequests());
        System.out.printf("pool health: %s, active node %s%n", pool.health().status(), pool.health().activeNode());
    }

    private static void printTable(int second, ConnectionPool pool, long[] lastTries, ConcurrentLinkedQueue<Long> latencies) {
        long[] sample = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        latencies.clear();
        double p99 = sample.length == 0 ? 0 : sample[(int) Math.min(sample.length - 1, Math.ceil(sample.length * 0.99) - 1)] / 1e6;
        PoolStats stats = pool.stats();
        PoolHealth health = pool.health();
        System.out.printf("t=%3ds  pool %-8s  p99 %6.1f ms  failed %d%n", second, health.status(), p99, stats.failedRequests());
        System.out.printf("  %-24s %-20s %-9s %6s %6s %8s %7s%n", "node", "role", "breaker", "active", "idle", "req/s", "errors");
        for (int i = 0; i < stats.nodes().size(); i++) {
            NodeStats n = stats.nodes().get(i);
            NodeHealth h = health.nodes().get(i);
            long rate = n.totalRequests() - lastTries[i];
            lastTries[i] = n.totalRequests();
            System.out.printf("  %-24s %-20s %-9s %6d %6d %8d %7d%n", n.node(), h.role(), h.circuitState(),
                    n.activeConnections(), n.idleConnections(), rate, n.failedRequests());
        }
    }

    private static String rootName(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
