package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health answers that lie or cannot be read. Invalid JSON from {@code /v1/sys/health} is not a role:
 * the node is taken out of its role (UNREACHABLE), the monitor keeps running and nothing escapes it. A
 * {@code 200} whose body says {@code "sealed": true} is a sealed node (the body is the truth, as in
 * Vault's Go client): it gets no requests. Requests keep succeeding on the other nodes throughout.
 */
@Timeout(60)
class HostileHealthAnswerTest {

    private static final String SEALED_BODY = "{\"type\":\"shamir\",\"initialized\":true,\"sealed\":true,\"standby\":true,"
            + "\"performance_standby\":false,\"replication_performance_mode\":\"disabled\","
            + "\"replication_dr_mode\":\"disabled\",\"server_time_utc\":1700000000,\"version\":\"1.19.5\"}";

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = HardeningSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(cluster.urls()).readFromStandbys(true).build());
        pool.awaitReady(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().activeNode() != null);
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    private NodeHealth node(int index) {
        return pool.health().nodes().get(index);
    }

    private PoolHealth probeNow() {
        return pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join();
    }

    @Test
    void invalidJsonFromTheActiveNodeTakesItOutOfItsRoleAndWritesGoToTheStandbys() {
        cluster.node(0).healthBody("{not json");
        // while it serves requests, so that an unreadable answer cannot pass for a busy node
        HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT, i -> HardeningSupport.write("before" + i)));

        PoolHealth h = probeNow();
        System.out.printf("measured: active node answers '{not json' to its probe: %s%n", h.nodes().get(0));

        assertThat(h.nodes().get(0).role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(h.nodes().get(0).lastError()).contains("invalid JSON").doesNotContain("not json");
        assertThat(h.activeNode()).isNull();
        cluster.resetJournals();
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i)));
        System.out.printf("measured: requests while the active node's health is unreadable: %s%n", result);
        assertThat(result.outcomes()).containsOnlyKeys("HTTP 200");
        assertThat(cluster.node(0).requestCount("/v1/secret")).as("API requests sent to the unreadable node").isZero();
        HardeningSupport.assertQuiescent(pool);

        // a readable answer puts it back
        cluster.node(0).healthBody(null);
        probeNow();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(node(0).role()).isEqualTo(NodeRole.ACTIVE);
            assertThat(node(0).usable()).isTrue();
        });
    }

    @Test
    void invalidJsonFromAStandbyLeavesTheMonitorRunningAndTheOthersServing() {
        cluster.node(1).healthBody("{not json");
        for (int i = 0; i < 4; i++) {
            PoolHealth h = probeNow();
            assertThat(h.nodes().get(0).role()).isEqualTo(NodeRole.ACTIVE);
        }
        assertThat(node(1).role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(node(1).consecutiveFailures()).isGreaterThanOrEqualTo(4);
        assertThat(node(2).role()).isEqualTo(NodeRole.STANDBY);

        cluster.node(2).healthBody("[1,2,3");
        cluster.node(0).healthBody("{\"initialized\":\"yes\"}");
        PoolHealth h = probeNow();
        System.out.printf("measured: health bodies '{not json', '[1,2,3', initialized as a string: %s%n", h.nodes());
        assertThat(h.nodes()).extracting(NodeHealth::role).containsOnly(NodeRole.UNREACHABLE);

        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> HardeningSupport.read()));
        System.out.printf("measured: reads while every health body is unreadable: %s%n", result);
        // no node has a role, but none refused a connection either: the pool routes to them as a last resort
        assertThat(result.outcomes()).containsOnlyKeys("HTTP 200");
        HardeningSupport.assertQuiescent(pool);

        cluster.clearFaults();
        probeNow();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pool.health().nodes())
                .extracting(NodeHealth::role).containsExactly(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY));
        assertThat(pool.request(HardeningSupport.read()).status()).isEqualTo(200);
    }

    @Test
    void aSealedBodyWithStatus200IsASealedNodeThatGetsNoRequests() {
        // node 1 is a standby; with readFromStandbys it would get reads if it were a performance standby. Make
        // the active node the liar: it answers 200 (its role's status) with a sealed body.
        cluster.node(0).healthBody(SEALED_BODY);
        PoolHealth h = probeNow();
        System.out.printf("measured: active node answers 200 with a sealed body: %s%n", h.nodes().get(0));

        assertThat(h.nodes().get(0).role()).isEqualTo(NodeRole.SEALED);
        assertThat(h.nodes().get(0).usable()).isFalse();
        assertThat(h.nodes().get(0).circuitState()).isEqualTo(CircuitState.OPEN);
        cluster.resetJournals();
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i)));
        System.out.printf("measured: requests while node 0 reports sealed: %s%n", result);

        assertThat(result.outcomes()).containsOnlyKeys("HTTP 200");
        assertThat(cluster.node(0).requestCount("/v1/secret")).as("API requests sent to the sealed node").isZero();
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void healthBodiesThatAreHugeOrDeeplyNestedAreUnreadableNotFatal() {
        cluster.node(1).healthBody("{\"initialized\":true,\"license\":" + "{\"a\":".repeat(5_000));
        cluster.node(2).healthBody("{\"initialized\":true,\"x\":\"" + "y".repeat(200_000) + "\"}");
        PoolHealth h = probeNow();
        System.out.printf("measured: nested and oversized health bodies: %s / %s%n", h.nodes().get(1), h.nodes().get(2));

        assertThat(h.nodes().get(1).role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(h.nodes().get(2).role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(h.nodes().get(0).role()).isEqualTo(NodeRole.ACTIVE);
        assertThat(pool.request(HardeningSupport.read()).status()).isEqualTo(200);
        List<NodeHealth> after = probeNow().nodes();
        assertThat(after.get(0).role()).as("the monitor still probes").isEqualTo(NodeRole.ACTIVE);
    }
}
