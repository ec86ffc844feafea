package dev.vaultx.pool.impl;

import dev.vaultx.pool.NodeRole;
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

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only the health monitor changes a node's role; traffic only hints that a probe is due. Before, a request's answer
 * set roles too (a 503 "Vault is sealed" made the node SEALED, a redirect made its target ACTIVE), racing the
 * probes, so listeners saw transitions the cluster never made.
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
}
