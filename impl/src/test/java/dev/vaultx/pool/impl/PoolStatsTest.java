package dev.vaultx.pool.impl;

import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The statistics after known sequences of requests, and the connections opened by the prewarm. */
class PoolStatsTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void close() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void countsAreExactAfterSuccessesServerErrorsAndATransportFailure() {
        cluster = SimulatedVaultCluster.start(1);
        cluster.put("app", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(cluster).maxRetries(0)
                .requestTimeout(Duration.ofSeconds(3)).attemptTimeout(Duration.ofSeconds(2)).build(), cluster);
        assertThat(pool.stats().totalRequests()).isZero();
        assertThat(pool.stats().failedRequests()).isZero();

        for (int i = 0; i < 5; i++) {
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
        assertThat(pool.request(read("missing")).status()).as("4xx is an answer, not a failure").isEqualTo(404);
        cluster.node(0).failWith(500, 2);
        for (int i = 0; i < 2; i++) {
            VaultResponse r = pool.request(read("app"));
            assertThat(r.status()).as("5xx is returned once retries (none here) are exhausted").isEqualTo(500);
        }
        assertStats(8, 2, 0, 8, 2);

        cluster.node(0).stop();
        assertThatThrownBy(() -> pool.request(read("app"))).isInstanceOf(VaultPoolException.class);

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            PoolStats s = pool.stats();
            assertThat(s.totalRequests()).isEqualTo(9);
            assertThat(s.failedRequests()).isEqualTo(3);
            assertQuiescent(s);
        });
    }

    @Test
    void perNodeCountsAddUpOnThreeNodes() {
        cluster = SimulatedVaultCluster.start(3);
        cluster.put("app", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(cluster).maxRetries(0)
                .balancingStrategy(dev.vaultx.pool.BalancingStrategy.ROUND_ROBIN).build(), cluster);

        for (int i = 0; i < 9; i++) {
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
        cluster.node(1).failWith(503, 1);
        // round robin: within three requests node 1 is hit once and answers 503
        int errors = 0;
        for (int i = 0; i < 3; i++) {
            errors += pool.request(read("app")).status() == 503 ? 1 : 0;
        }
        assertThat(errors).isEqualTo(1);

        PoolStats s = pool.stats();
        assertThat(s.totalRequests()).isEqualTo(12);
        assertThat(s.failedRequests()).isEqualTo(1);
        assertThat(s.nodes()).extracting(NodeStats::node).containsExactlyElementsOf(cluster.urls());
        assertThat(s.nodes()).extracting(NodeStats::totalRequests).containsExactly(4L, 4L, 4L);
        assertThat(s.nodes()).extracting(NodeStats::failedRequests).containsExactly(0L, 1L, 0L);
        assertThat(s.nodes()).allSatisfy(n -> {
            assertThat(n.maxConnections()).isEqualTo(3);
            assertThat(n.inFlightRequests()).isZero();
            assertThat(n.draining()).isFalse();
        });
        assertThat(s.nodes().stream().mapToInt(NodeStats::totalConnections).sum()).isEqualTo(s.totalConnections());
        assertQuiescent(s);
    }

    @Test
    void statsCarryNameAndLimits() {
        cluster = SimulatedVaultCluster.start(1);
        pool = TestPools.startReady(TestPools.config(cluster).name("stats-limits").size(3).maxOverflow(4).build(), cluster);

        PoolStats s = pool.stats();

        assertThat(s.poolName()).isEqualTo("stats-limits");
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.maxOverflow()).isEqualTo(4);
        assertThat(s.nodes()).singleElement().satisfies(n -> assertThat(n.maxConnections()).isEqualTo(7));
    }

    @Test
    void prewarmOpensSizeConnectionsPerNode() {
        cluster = SimulatedVaultCluster.start(3);
        pool = TestPools.startReady(TestPools.config(cluster).size(4).build(), cluster);

        PoolStats s = pool.stats();

        assertThat(s.totalConnections()).isEqualTo(3 * 4);
        assertThat(s.idleConnections()).isEqualTo(3 * 4);
        assertThat(s.activeConnections()).isZero();
        assertThat(s.nodes()).allSatisfy(n -> assertThat(n.totalConnections()).isEqualTo(4));
        assertThat(s.totalRequests()).as("the prewarm is not a request").isZero();
    }

    @Test
    void withoutPrewarmNoConnectionIsOpenBeforeTheFirstRequest() {
        cluster = SimulatedVaultCluster.start(3);
        cluster.put("app", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(cluster).size(4).prewarm(false).build(), cluster);

        assertThat(pool.stats().totalConnections()).isZero();

        assertThat(pool.request(read("app")).status()).isEqualTo(200);
        assertThat(pool.stats().totalConnections()).isEqualTo(1);
        assertThat(pool.stats().nodes().get(0).totalConnections()).as("the active node served it").isEqualTo(1);
    }

    private void assertStats(long total, long failed, int active, long nodeTries, long nodeFailed) {
        PoolStats s = pool.stats();
        assertThat(s.totalRequests()).isEqualTo(total);
        assertThat(s.failedRequests()).isEqualTo(failed);
        assertThat(s.activeConnections()).isEqualTo(active);
        assertThat(s.nodes()).singleElement().satisfies(n -> {
            assertThat(n.totalRequests()).isEqualTo(nodeTries);
            assertThat(n.failedRequests()).isEqualTo(nodeFailed);
        });
        assertQuiescent(s);
    }

    private static void assertQuiescent(PoolStats s) {
        assertThat(s.totalConnections()).isEqualTo(s.activeConnections() + s.idleConnections());
        assertThat(s.activeConnections()).isZero();
        assertThat(s.pendingRequests()).isZero();
        assertThat(s.nodes()).allSatisfy(n -> {
            assertThat(n.totalConnections()).isEqualTo(n.activeConnections() + n.idleConnections());
            assertThat(n.pendingRequests()).isZero();
            assertThat(n.inFlightRequests()).isZero();
        });
    }
}
