package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolControl.DrainResult;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runtime control while traffic flows: resizing and draining never fail a request. */
class ResizeDrainUnderLoadTest {

    private static final int IN_FLIGHT = 64;

    @Test
    void resizeAndDrainUnderSustainedLoadFailNoRequest() throws Exception {
        try (SimulatedVaultCluster cluster = FailoverSupport.cluster(3);
             AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster)
                     .name("resize-drain").size(10).maxOverflow(5).borrowTimeout(Duration.ofSeconds(3))
                     // this test is about limits, not failure detection: timeouts a loaded CI box cannot trip
                     .attemptTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10))
                     .healthCheckInterval(Duration.ofSeconds(2)).healthCheckTimeout(Duration.ofSeconds(2))
                     .balancingStrategy(BalancingStrategy.LEAST_PENDING).build())) {
            pool.awaitReady(Duration.ofSeconds(5));
            URI node0 = cluster.node(0).uri();
            SustainedLoad load = SustainedLoad.start(pool, IN_FLIGHT,
                    () -> VaultRequest.get(FailoverSupport.SECRET).token(FailoverSupport.TOKEN).build());
            awaitMoreSuccesses(load, 500);

            pool.control().resize(50, 5);
            assertLimits(pool.stats(), 50, 5);
            awaitMoreSuccesses(load, 500);

            pool.control().resize(2, 1);
            assertLimits(pool.stats(), 2, 1);
            // busy connections above the new limit close when returned: at most 3 per node remain
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(pool.stats().nodes()).allSatisfy(n -> assertThat(n.totalConnections()).isLessThanOrEqualTo(3)));
            awaitMoreSuccesses(load, 500);

            pool.control().resize(10, 5);
            assertLimits(pool.stats(), 10, 5);
            awaitMoreSuccesses(load, 500);

            DrainResult drained = pool.control().drain(node0.toString(), Duration.ofSeconds(5)).get();
            assertThat(drained.completed()).as("drain of %s: %s", node0, drained).isTrue();
            NodeStats whileDrained = node(pool.stats(), node0);
            assertThat(whileDrained.draining()).isTrue();
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(node(pool.stats(), node0).totalConnections()).isZero());
            long triesAtDrain = node(pool.stats(), node0).totalRequests();
            awaitMoreSuccesses(load, 500);
            assertThat(node(pool.stats(), node0).totalRequests()).as("no new request to a drained node").isEqualTo(triesAtDrain);

            pool.control().resume(node0.toString());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(node(pool.stats(), node0).totalRequests()).isGreaterThan(triesAtDrain));

            SustainedLoad.Result result = load.stop();
            assertThat(result.failureCount()).as("%s", result).isZero();
            assertThat(result.successes()).isGreaterThan(2500);
        }
    }

    private static void awaitMoreSuccesses(SustainedLoad load, long more) {
        long target = load.snapshot().successes() + more;
        await().atMost(Duration.ofSeconds(20)).until(() -> load.snapshot().successes() >= target);
    }

    private static void assertLimits(PoolStats stats, int size, int overflow) {
        assertThat(stats.size()).isEqualTo(size);
        assertThat(stats.maxOverflow()).isEqualTo(overflow);
        assertThat(stats.nodes()).allSatisfy(n -> assertThat(n.maxConnections()).isEqualTo(size + overflow));
    }

    private static NodeStats node(PoolStats stats, URI node) {
        return stats.nodes().stream().filter(n -> n.node().equals(node)).findFirst().orElseThrow();
    }
}
