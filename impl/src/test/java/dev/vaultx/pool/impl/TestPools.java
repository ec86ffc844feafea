package dev.vaultx.pool.impl;

import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** Shared set-up of the pool tests: short timeouts, small pools, unique pool names. */
public final class TestPools {

    static final String TOKEN = "s.test-token-0001";
    static final Duration READY = Duration.ofSeconds(5);

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestPools() {
    }

    /** A unique pool name per test, so that thread names never collide. */
    static String uniqueName(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet();
    }

    /**
     * A configuration for the cluster with test-sized values: 2 connections (+1 overflow) per node,
     * 1 I/O thread, short timeouts. Health probes every 60 s, so that once the start-up probes are
     * done ({@link #startReady}) no probe runs during a test; a probe may take 3 s, so that a node
     * made slow (the testkit slows {@code sys/health} too) is not taken for unreachable.
     */
    static PoolConfigBuilder config(SimulatedVaultCluster cluster) {
        return PoolConfig.builder()
                .name(uniqueName("t"))
                .nodeUris(cluster.urls())
                .size(2)
                .maxOverflow(1)
                .ioThreads(1)
                .timeout(Duration.ofSeconds(1))
                .borrowTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5))
                .attemptTimeout(Duration.ofSeconds(4))
                .healthCheckInterval(Duration.ofSeconds(60))
                .healthCheckTimeout(Duration.ofSeconds(3))
                .shutdownTimeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(10))
                .maxRetryBackoff(Duration.ofMillis(100));
    }

    /**
     * Starts a pool and waits for its first probes and prewarm, then for the quick second round of
     * probes the health monitor runs while no active node was known yet (every 250 ms at start), so
     * that no probe is in flight when the test begins.
     */
    static AsyncHttpConnectionPool startReady(PoolConfig config, SimulatedVaultCluster cluster) {
        Instant started = Instant.now();
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config);
        pool.awaitReady(READY);
        try {
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> secondProbeRecorded(pool, cluster, started));
        } catch (ConditionTimeoutException noSecondRound) {
            // the first probes answered before the schedule started: there is no second round
        }
        return pool;
    }

    /**
     * @return whether every node has had two probes since {@code started} and the pool has taken in the last of
     *         them (its health shows a check no older than that probe)
     */
    public static boolean secondProbeRecorded(AsyncHttpConnectionPool pool, SimulatedVaultCluster cluster, Instant started) {
        List<NodeHealth> health = pool.health().nodes();
        for (int i = 0; i < cluster.size(); i++) {
            List<Instant> probes = cluster.node(i).requests().stream()
                    .filter(r -> r.path().equals("/v1/sys/health"))
                    .map(RecordedRequest::time)
                    .filter(t -> !t.isBefore(started))
                    .toList();
            Instant lastCheck = health.get(i).lastCheck();
            if (probes.size() < 2 || lastCheck == null || lastCheck.isBefore(probes.get(probes.size() - 1))) {
                return false;
            }
        }
        return true;
    }

    static VaultRequest read(String secret) {
        return VaultRequest.get("/v1/secret/data/" + secret).token(TOKEN).build();
    }

    static VaultRequest write(String secret, String json) {
        return VaultRequest.builder("POST", "/v1/secret/data/" + secret).token(TOKEN).body(json).build();
    }

    /** @return names of the live threads that belong to the pool {@code name} */
    static Set<String> poolThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("vaultx-pool-" + name + "-"))
                .collect(Collectors.toSet());
    }
}
