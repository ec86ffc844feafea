package dev.vaultx.pool.impl;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only the health monitor changes a node's role; traffic only hints that a probe is due. Before, a request's answer
 * set roles too (a 503 "Vault is sealed" made the node SEALED, a redirect made its target ACTIVE), racing the
 * probes, so listeners saw transitions the cluster never made. And what the monitor knows is what its probes found:
 * a check asked for while probes run awaits them.
 */
class RoleChangesTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void aSealedAnswerToARequestHintsAProbeAndTheProbeDecidesTheRole() {
        cluster = SimulatedVaultCluster.start(2);
        cluster.put("app", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);
        List<String> changes = new CopyOnWriteArrayList<>();
        pool.addListener(new PoolListener() {
            @Override
            public void onRoleChange(String p, URI node, NodeRole from, NodeRole to) {
                changes.add(node + ": " + from + " -> " + to);
            }
        });
        URI node0 = cluster.node(0).uri();
        Instant before = Instant.now();

        // one stray "sealed" answer from a node whose sys/health says it is active (e.g. a proxy in front of it)
        cluster.node(0).failWith(503, 1, "Vault is sealed");
        pool.request(read("app"));

        // the answer hinted a probe: it runs now (the regular interval is 60 s) and finds the node active
        await().atMost(Duration.ofSeconds(3)).until(() -> {
            Instant checked = pool.health().nodes().get(0).lastCheck();
            return checked != null && checked.isAfter(before);
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(changes::isEmpty);
        assertThat(pool.health().nodes().get(0).role()).isEqualTo(NodeRole.ACTIVE);
        assertThat(pool.health().activeNode()).isEqualTo(node0);
    }

    /**
     * Right after start the first probes are under way (here each takes 300 ms). A check asked for then awaits them.
     * Before, it found each node "being probed", probed nothing, and reported the health known before any answer.
     */
    @Test
    void checkHealthNowRightAfterStartAwaitsTheFirstProbes() {
        cluster = SimulatedVaultCluster.start(3);
        for (int i = 0; i < 3; i++) {
            cluster.node(i).slowPath("/v1/sys/health", Duration.ofMillis(300));
        }
        pool = AsyncHttpConnectionPool.start(TestPools.config(cluster).build());

        PoolHealth health = pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(health.status()).as("%s", health).isEqualTo(HealthStatus.UP);
        assertThat(health.activeNode()).isEqualTo(cluster.node(0).uri());
    }
}
