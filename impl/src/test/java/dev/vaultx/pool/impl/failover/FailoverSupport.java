package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shared settings and small helpers of the failover tests. */
final class FailoverSupport {

    static final String TOKEN = "s.failover-test";
    static final String SECRET = "/v1/secret/data/app";
    static final String API = "/v1/secret";
    static final int IN_FLIGHT = 32;

    static final Duration HEALTH_INTERVAL = Duration.ofMillis(300);
    static final Duration HEALTH_TIMEOUT = Duration.ofMillis(200);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(400);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
    static final Duration BREAKER_DELAY = Duration.ofMillis(400);

    private FailoverSupport() {
    }

    /** A 3-node (or n-node) cluster whose journals keep enough entries for a few seconds of load, with one secret. */
    static SimulatedVaultCluster cluster(int nodes) {
        return cluster(SimulatedVaultCluster.builder().nodes(nodes));
    }

    static SimulatedVaultCluster cluster(SimulatedVaultCluster.Builder builder) {
        SimulatedVaultCluster c = builder.journalLimit(60_000).start();
        c.put("app", Map.of("password", "hunter2"));
        return c;
    }

    /** Short timeouts and probe intervals, so that every scenario plays out in a second or two. */
    static PoolConfigBuilder config(SimulatedVaultCluster cluster) {
        return PoolConfig.builder()
                .name("failover")
                .nodeUris(cluster.urls())
                .size(16)
                .maxOverflow(16)
                .ioThreads(2)
                .timeout(Duration.ofSeconds(1))
                .borrowTimeout(Duration.ofSeconds(2))
                .healthCheckInterval(HEALTH_INTERVAL)
                .healthCheckTimeout(HEALTH_TIMEOUT)
                .attemptTimeout(ATTEMPT_TIMEOUT)
                .requestTimeout(REQUEST_TIMEOUT)
                .circuitBreakerDelay(BREAKER_DELAY)
                .shutdownTimeout(Duration.ofSeconds(2));
    }

    /**
     * Waits until the first probes are done and the pool sees {@code active} as the active node with every
     * breaker closed (a probe of a cold JVM may time out once at start).
     */
    static void awaitSettled(AsyncHttpConnectionPool pool, URI active) {
        pool.awaitReady(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            PoolHealth h = pool.health();
            assertThat(h.activeNode()).isEqualTo(active);
            assertThat(h.status()).as("health %s", h).isEqualTo(HealthStatus.UP);
        });
    }

    /**
     * Waits until the probes of the start-up are over: until an active node is known the monitor probes
     * every 250 ms, and the round that finds it schedules one more 250 ms later. Once no probe has reached
     * any node for 400 ms (and every answer is recorded), the next one is a whole healthCheckInterval away,
     * so that with a long interval a fault injected now stays unnoticed by the monitor.
     */
    static void awaitStartupProbesDone(ConnectionPool pool, SimulatedVaultCluster cluster) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Instant quietSince = Instant.now().minusMillis(400);
            for (int i = 0; i < cluster.size(); i++) {
                List<RecordedRequest> probes = cluster.node(i).requests().stream()
                        .filter(r -> r.path().equals("/v1/sys/health")).toList();
                if (probes.isEmpty()) {
                    return false;
                }
                Instant last = probes.get(probes.size() - 1).time();
                Instant checked = nodeHealth(pool, i).lastCheck();
                if (last.isAfter(quietSince) || checked == null || checked.isBefore(last)) {
                    return false;
                }
            }
            return true;
        });
    }

    static VaultRequest read() {
        return VaultRequest.get(SECRET).token(TOKEN).build();
    }

    static VaultRequest write(String value) {
        return VaultRequest.builder("POST", SECRET).token(TOKEN).body("{\"data\":{\"password\":\"" + value + "\"}}").build();
    }

    static NodeHealth nodeHealth(ConnectionPool pool, int index) {
        return pool.health().nodes().get(index);
    }

    /** @return whether the pool has stopped using the node: breaker open or the node unreachable/unserving */
    static boolean isShunned(ConnectionPool pool, int index) {
        NodeHealth h = nodeHealth(pool, index);
        return h.circuitState() == CircuitState.OPEN || h.role() == NodeRole.UNREACHABLE || !h.usable();
    }

    /** API requests (not health probes) a node has received, from its journal. */
    static long apiRequests(SimulatedVaultNode node) {
        return node.requestCount(API);
    }

    /** API requests of one method across all nodes of a cluster. */
    static long apiRequests(SimulatedVaultCluster cluster, String method) {
        return cluster.nodes().stream()
                .flatMap(n -> n.requests().stream())
                .filter(r -> r.method().equals(method) && r.path().startsWith(API))
                .count();
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Records breaker transitions with their wall-clock time, the clock of the testkit journal. */
    static final class BreakerLog implements PoolListener {

        record Transition(URI node, CircuitState from, CircuitState to, Instant at) {
        }

        final List<Transition> transitions = new CopyOnWriteArrayList<>();

        @Override
        public void onCircuitStateChange(String pool, URI node, CircuitState from, CircuitState to) {
            transitions.add(new Transition(node, from, to, Instant.now()));
        }

        List<Transition> of(URI node) {
            return transitions.stream().filter(t -> t.node().equals(node)).toList();
        }
    }
}
