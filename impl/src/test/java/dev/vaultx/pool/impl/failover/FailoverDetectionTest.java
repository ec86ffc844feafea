package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the pool finds the new active node when the active node dies and a standby takes over (the failover
 * benchmark's scenario), with a health interval long enough (2 s) that a regular probe is not what finds it:
 * the failures of the requests sent to the dead node hurry the probes, and while no active node is known the
 * probes come every fast period. The rules are asserted exactly on a fake ticker; the real-time runs show the
 * whole failover under load, with bounds only a stuck pool would miss (their timings are printed).
 */
class FailoverDetectionTest {

    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);
    /** How soon a hurried probe round runs ({@code ProbeSchedule.SOON}). */
    private static final Duration HURRIED_PROBE = Duration.ofMillis(20);
    /** The probe period while no active node is known ({@code ProbeSchedule.FAST}). */
    private static final Duration FAST_PROBE = Duration.ofMillis(250);
    /** What a real-time run may take at most: far more than it needs, on any machine. */
    private static final Duration END_TO_END_LIMIT = Duration.ofSeconds(5);

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
        await().atMost(END_TO_END_LIMIT).pollInterval(Duration.ofMillis(5))
                .until(() -> newActive.equals(pool.health().activeNode()));
        long detectedMs = millisSince(t1);
        System.out.printf("measured: %s: node 0 stopped and node 1 elected in %d ms; node 1 the pool's active node %d ms later"
                + " (health interval %d ms)%n", scenario, failedOverMs, detectedMs, HEALTH_INTERVAL.toMillis());
        return detectedMs;
    }

    @Test
    void findsTheNewActiveNodeUnderLoadWithoutAFailedRead() {
        cluster = FailoverSupport.cluster(3);
        start(config(cluster), FailoverSupport.IN_FLIGHT);

        failOverAndMeasure("active killed under load (" + FailoverSupport.IN_FLIGHT + " reads in flight)");

        VaultResponse w = pool.request(FailoverSupport.write("after-failover"));
        assertThat(w.status()).isEqualTo(200);
        assertThat(w.node()).as("a write goes to the new active node").isEqualTo(cluster.node(1).uri());
        long onNewActive = load.successesFrom(cluster.node(1).uri());
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successesFrom(cluster.node(1).uri()) > onNewActive + 300);
        SustainedLoad.Result result = load.stop();
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
    }

    @Test
    void findsTheNewActiveNodeOneReadAtATimeWithTheBreakerKeptClosed() {
        cluster = FailoverSupport.cluster(3);
        start(breakerKeptClosed(config(cluster)), 1);

        failOverAndMeasure("active killed, one read at a time, breaker kept closed");

        VaultResponse r = pool.request(FailoverSupport.read());
        assertThat(r.node()).as("a read goes to the new active node").isEqualTo(cluster.node(1).uri());
        SustainedLoad.Result result = load.stop();
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
    }

    @Test
    void findsTheNewActiveNodeWhenTheElectionEndsAfterTheHurriedProbes() {
        cluster = FailoverSupport.cluster(3);
        start(config(cluster), FailoverSupport.IN_FLIGHT);

        long t0 = System.nanoTime();
        cluster.node(0).stop();
        // the failed reads hurry the probes, which find node 0 down and no active node: a leader election
        await().atMost(END_TO_END_LIMIT).pollInterval(Duration.ofMillis(5))
                .until(() -> FailoverSupport.nodeHealth(pool, 0).role() == dev.vaultx.pool.NodeRole.UNREACHABLE);
        long downMs = millisSince(t0);
        assertThat(pool.health().activeNode()).isNull();
        long t1 = System.nanoTime();
        cluster.electLeader(1);
        URI newActive = cluster.node(1).uri();
        await().atMost(END_TO_END_LIMIT).pollInterval(Duration.ofMillis(5))
                .until(() -> newActive.equals(pool.health().activeNode()));
        long detectedMs = millisSince(t1);
        System.out.printf("measured: active killed, election ends later: node 0 unreachable in the pool %d ms after it"
                + " stopped; node 1 the pool's active node %d ms after it was elected (health interval %d ms)%n", downMs,
                detectedMs, HEALTH_INTERVAL.toMillis());

        SustainedLoad.Result result = load.stop();
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
    }

    /** A breaker that never opens: only the failed requests themselves can tell the monitor. */
    private static PoolConfigBuilder breakerKeptClosed(PoolConfigBuilder config) {
        return config.circuitBreakerFailureThreshold(1000)
                .circuitBreakerFailureRateThreshold(100)
                .circuitBreakerMinimumRequests(100_000);
    }

    /** Starts the pool on a fake ticker and waits until it has settled on node 0 as the active node. */
    private void startOn(FakeTicker ticker, PoolConfigBuilder config) {
        pool = AsyncHttpConnectionPool.builder(config.build()).ticker(ticker).start();
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
    }

    /**
     * A read refused by the dead active node brings the probes forward to {@link #HURRIED_PROBE} on the pool's
     * ticker, a whole health interval early, even though the node's breaker stays closed: with the ticker one
     * nanosecond short of it the pool still takes the dead node for the active one, at it the probes find the new one.
     */
    @Test
    void aRefusedConnectionToTheActiveNodeHurriesTheProbesOnThePoolsTickerEvenWhenItsBreakerStaysClosed() {
        cluster = FailoverSupport.cluster(3);
        FakeTicker ticker = new FakeTicker();
        startOn(ticker, breakerKeptClosed(config(cluster)));
        URI oldActive = cluster.node(0).uri();
        URI newActive = cluster.node(1).uri();
        cluster.node(0).stop();
        cluster.electLeader(1);

        assertThat(pool.request(FailoverSupport.read()).status()).as("served by a standby or the new active node").isEqualTo(200);
        assertThat(FailoverSupport.nodeHealth(pool, 0).circuitState()).as("the dead node's breaker")
                .isEqualTo(dev.vaultx.pool.CircuitState.CLOSED);
        ticker.advance(HURRIED_PROBE.minusNanos(1));
        await().during(Pending.WATCH).atMost(Pending.WATCH.plusSeconds(5))
                .until(() -> oldActive.equals(pool.health().activeNode()));

        ticker.advanceNanos(1);
        await().atMost(END_TO_END_LIMIT).until(() -> newActive.equals(pool.health().activeNode()));
    }

    /**
     * Once the hurried probes have found the active node dead and no other, the next probe round is at most
     * {@link #FAST_PROBE} away on the pool's ticker: an election that ends meanwhile is seen then, not a health
     * interval later, and a read that waited for it succeeds.
     */
    @Test
    void whileNoActiveNodeIsKnownTheNextProbeRoundIsAtMostAFastPeriodAwayOnThePoolsTicker() {
        cluster = FailoverSupport.cluster(3);
        FakeTicker ticker = new FakeTicker();
        startOn(ticker, config(cluster));
        URI newActive = cluster.node(1).uri();
        cluster.node(0).stop();

        CompletableFuture<VaultResponse> read = pool.requestAsync(FailoverSupport.read());
        await().atMost(END_TO_END_LIMIT).until(() -> FailoverSupport.apiRequests(cluster, "GET") > 0 || read.isDone());
        ticker.advance(HURRIED_PROBE);
        await().atMost(END_TO_END_LIMIT)
                .until(() -> FailoverSupport.nodeHealth(pool, 0).role() == dev.vaultx.pool.NodeRole.UNREACHABLE);
        assertThat(pool.health().activeNode()).isNull();
        cluster.electLeader(1);
        await().during(Pending.WATCH).atMost(Pending.WATCH.plusSeconds(5)).until(() -> pool.health().activeNode() == null);

        ticker.advance(FAST_PROBE);
        await().atMost(END_TO_END_LIMIT).until(() -> newActive.equals(pool.health().activeNode()));
        ticker.advance(pool.config().maxRetryBackoff());
        assertThat(read.orTimeout(5, TimeUnit.SECONDS).join().status()).as("the read that waited").isEqualTo(200);
    }
}
