package dev.vaultx.pool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultx.pool.NodeRole;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ClusterLifecycleTest {

    @Test
    void startGivesLoopbackNodesWithOneActive() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            assertThat(cluster.size()).isEqualTo(3);
            assertThat(cluster.urls()).hasSize(3).allSatisfy(u -> {
                assertThat(u.getScheme()).isEqualTo("http");
                assertThat(u.getHost()).isEqualTo("127.0.0.1");
                assertThat(u.getPort()).isPositive();
                assertThat(u.getPath()).isEmpty();
            });
            assertThat(cluster.urls()).doesNotHaveDuplicates();
            assertThat(cluster.nodes()).extracting(SimulatedVaultNode::role)
                    .containsExactly(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);
            assertThat(cluster.active()).containsSame(cluster.node(0));
            assertThat(cluster.clusterName()).startsWith("vault-cluster-");
        }
    }

    @Test
    void becomingActiveDemotesThePreviousActiveNode() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(2)) {
            cluster.node(1).setRole(NodeRole.ACTIVE);

            assertThat(cluster.node(0).role()).isEqualTo(NodeRole.STANDBY);
            cluster.node(1).stepDown();
            assertThat(cluster.active()).isEmpty();
        }
    }

    @Test
    void rolesThatAreClientConclusionsAreRejected() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(1)) {
            assertThatThrownBy(() -> cluster.node(0).setRole(NodeRole.UNREACHABLE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> cluster.node(0).setRole(NodeRole.UNKNOWN))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void twoInitialActiveNodesAreRejected() {
        assertThatThrownBy(() -> SimulatedVaultCluster.builder().roles(NodeRole.ACTIVE, NodeRole.ACTIVE).start())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeIsIdempotentAndClosesThePorts() {
        SimulatedVaultCluster cluster = SimulatedVaultCluster.start(2);
        URI uri = cluster.node(0).uri();

        cluster.close();
        cluster.close();

        assertThat(cluster.nodes()).noneMatch(SimulatedVaultNode::isRunning);
        assertThat(uri.getPort()).isPositive();
    }
}
