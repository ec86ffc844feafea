package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How soon the pool finds the new active node when the active node dies and a standby takes over at the
 * same moment (the failover benchmark's scenario), with a health interval long enough (2 s) that a regular
 * probe cannot be what finds it: the fault is injected right after the start-up probes, so the next regular
 * probe is 1.4 s or more away. The failures of the requests sent to the dead node must hurry the probes.
 */
class FailoverDetectionTest {

    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);
    /** Well under the health interval (and its 10 % jitter): only hurried or fast probes meet it. */
    private static final Duration DETECTION_LIMIT = Duration.ofMillis(600);

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    /** Starts the pool and {@code inFlight} reads, then waits until the next regular probe is 1.4 s or more away. */
    private void start(PoolConfigBuilder config, int inFlight) {
        pool = AsyncHttpConnectionPool.start(config.build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        load = SustainedLoad.start(pool, inFlight, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 100);
        // from here the next regular probe is at least 1.4 s away (2 s less 10 % jitter, less the 400 ms of quiet)
        FailoverSupport.awaitStartupProbesDone(pool, cluster);
    }

    private static PoolConfigBuilder config(SimulatedVaultCluster cluster) {
        return FailoverSupport.config(cluster)
                .healthCheckInterval(HEALTH_INTERVAL)
                .healthCheckTimeout(Duration.ofMillis(500));
    }

    /**
     * Stops the active node 0 and elects node 1, then waits until the pool reports node 1 as its active node.
     *
     * @return milliseconds from the end of the failover (node 0 stopped and node 1 elected) to the pool's view
     */
    private long failOverAndMeasure(String scenario) {
        long t0 = System.nanoTime();
        cluster.node(0).stop();
        cluster.electLeader(1);
        long failedOverMs = millisSince(t0);
        long t1 = System.nanoTime();
        URI newActive = cluster.node(1).uri();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> newActive.equals(pool.health().activeNode()));
        long detectedMs = millisSince(t1);
        System.out.printf("measured: %s: node 0 stopped and node 1 elected in %d ms; node 1 the pool's active node %d ms later"
                + " (health interval %d ms)%n", scenario, failedOverMs, detectedMs, HEALTH_INTERVAL.toMillis());
        return detectedMs;
    }

    @Test
    void findsTheNewActiveNodeWellWithinTheHealthIntervalUnderLoad() {
        cluster = FailoverSupport.cluster(3);
        start(config(cluster), FailoverSupport.IN_FLIGHT);

        long detectedMs = failOverAndMeasure("active killed under load (" + FailoverSupport.IN_FLIGHT + " reads in flight)");

        assertThat(detectedMs).as("ms until the new active node is used").isLessThan(DETECTION_LIMIT.toMillis());
        VaultResponse w = pool.request(FailoverSupport.write("after-failover"));
        assertThat(w.status()).isEqualTo(200);
        assertThat(w.node()).as("a write goes to the new active node").isEqualTo(cluster.node(1).uri());
        long onNewActive = load.successesFrom(cluster.node(1).uri());
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successesFrom(cluster.node(1).uri()) > onNewActive + 300);
        SustainedLoad.Result result = load.stop();
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
    }

    @Test
    void aRefusedConnectionToTheActiveNodeHurriesTheProbesEvenWhenItsBreakerStaysClosed() {
        cluster = FailoverSupport.cluster(3);
        // a breaker that never opens: only the failed requests themselves can tell the monitor
        start(config(cluster)
                .circuitBreakerFailureThreshold(1000)
                .circuitBreakerFailureRateThreshold(100)
                .circuitBreakerMinimumRequests(100_000), 1);

        long detectedMs = failOverAndMeasure("active killed, one read at a time, breaker kept closed");

        assertThat(detectedMs).as("ms until the new active node is used").isLessThan(DETECTION_LIMIT.toMillis());
        VaultResponse r = pool.request(FailoverSupport.read());
        assertThat(r.node()).as("a read goes to the new active node").isEqualTo(cluster.node(1).uri());
        SustainedLoad.Result result = load.stop();
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
    }

    @Test
    void findsTheNewActiveNodeWithinAFastProbePeriodWhenTheElectionEndsAfterTheHurriedProbes() {
        cluster = FailoverSupport.cluster(3);
        start(config(cluster), FailoverSupport.IN_FLIGHT);

        long t0 = System.nanoTime();
        cluster.node(0).stop();
        // the failed reads hurry the probes, which find node 0 down and no active node: a leader election
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> FailoverSupport.nodeHealth(pool, 0).role() == dev.vaultx.pool.NodeRole.UNREACHABLE);
        long downMs = millisSince(t0);
        assertThat(pool.health().activeNode()).isNull();
        long t1 = System.nanoTime();
        cluster.electLeader(1);
        URI newActive = cluster.node(1).uri();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> newActive.equals(pool.health().activeNode()));
        long detectedMs = millisSince(t1);
        System.out.printf("measured: active killed, election ends later: node 0 unreachable in the pool %d ms after it"
                + " stopped; node 1 the pool's active node %d ms after it was elected (health interval %d ms)%n", downMs,
                detectedMs, HEALTH_INTERVAL.toMillis());

        assertThat(downMs).as("ms until the dead active node is probed").isLessThan(DETECTION_LIMIT.toMillis());
        assertThat(detectedMs).as("ms until the new active node is used").isLessThan(DETECTION_LIMIT.toMillis());
        SustainedLoad.Result result = load.stop();
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
    }
}
