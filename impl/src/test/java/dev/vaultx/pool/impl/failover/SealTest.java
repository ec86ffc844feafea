package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.vaultx.pool.impl.failover.FailoverSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.apiRequests;
import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static dev.vaultx.pool.impl.failover.FailoverSupport.nodeHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A sealed node is skipped at its first 503 "Vault is sealed" (or next probe), and used again once unsealed. */
class SealTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    @Test
    void failsOverToStandbyWhenActiveIsSealedAndUsesItAgainOnceUnsealed() {
        cluster = FailoverSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        SimulatedVaultNode node0 = cluster.node(0);
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 200);

        long t0 = System.nanoTime();
        long before = apiRequests(node0);
        node0.seal(); // the cluster has no leader until the election below
        await().atMost(Duration.ofSeconds(3)).until(() -> nodeHealth(pool, 0).role() == NodeRole.SEALED);
        long skippedMs = millisSince(t0);
        NodeHealth sealed = nodeHealth(pool, 0);
        cluster.electLeader(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.node(1).uri().equals(pool.health().activeNode()));
        long failedOverMs = millisSince(t0);
        long sealedAnswers = apiRequests(node0) - before;
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 300);
        assertThat(apiRequests(node0) - before).as("API requests node 0 got while sealed").isEqualTo(sealedAnswers);

        long t1 = System.nanoTime();
        node0.unseal();
        cluster.electLeader(0);
        long unsealedBefore = apiRequests(node0);
        await().atMost(Duration.ofSeconds(3)).until(() -> apiRequests(node0) > unsealedBefore + 300);
        long backMs = millisSince(t1);

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: active sealed: skipped after %d ms, %d sealed answers, node 1 active after %d ms;"
                + " unsealed and re-elected: node 0 served again after %d ms; %s%n",
                skippedMs, sealedAnswers, failedOverMs, backMs, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        assertThat(sealed.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(sealed.usable()).isFalse();
        // each read in flight may meet the seal once; none is sent there after that
        assertThat(sealedAnswers).isBetween(1L, (long) IN_FLIGHT);
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(pool.health().activeNode()).isEqualTo(node0.uri());
    }

    @Test
    void skipsSealedPerformanceStandbyAndReadsFromItAgainOnceUnsealed() {
        cluster = FailoverSupport.cluster(SimulatedVaultCluster.builder()
                .roles(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY, NodeRole.PERFORMANCE_STANDBY));
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).readFromStandbys(true).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        SimulatedVaultNode node2 = cluster.node(2);
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successesFrom(node2.uri()) > 100);

        long before = apiRequests(node2);
        node2.seal();
        await().atMost(Duration.ofSeconds(3)).until(() -> nodeHealth(pool, 2).role() == NodeRole.SEALED);
        long sealedAnswers = apiRequests(node2) - before;
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 300);
        long whileSealed = apiRequests(node2) - before - sealedAnswers;
        NodeHealth sealed = nodeHealth(pool, 2);

        node2.unseal();
        // the testkit brings an unsealed node back as a plain standby; make it a performance standby again
        node2.setRole(NodeRole.PERFORMANCE_STANDBY);
        long t1 = System.nanoTime();
        long fromNode2 = load.successesFrom(node2.uri());
        await().atMost(Duration.ofSeconds(3)).until(() -> load.successesFrom(node2.uri()) > fromNode2 + 100);
        long backMs = millisSince(t1);

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: performance standby sealed: %d sealed answers, %d requests after; unsealed: read from"
                + " again after %d ms; %s%n", sealedAnswers, whileSealed, backMs, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        assertThat(sealedAnswers).isBetween(0L, (long) IN_FLIGHT);
        assertThat(whileSealed).as("API requests to node 2 once it was known sealed").isZero();
        assertThat(sealed.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(nodeHealth(pool, 2).circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(nodeHealth(pool, 2).role()).isEqualTo(NodeRole.PERFORMANCE_STANDBY);
    }
}
