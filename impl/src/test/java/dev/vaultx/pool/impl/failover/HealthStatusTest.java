package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pool's health follows the cluster: UP, DEGRADED while something is wrong, DOWN when nothing serves, UP again. */
class HealthStatusTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = FailoverSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).build());
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    private PoolHealth awaitStatus(HealthStatus status) {
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.health().status() == status);
        return pool.health();
    }

    @Test
    void goesUpDegradedDownAndUpAgainAsNodesFailAndComeBack() {
        List<String> timeline = new ArrayList<>();
        long t0 = System.nanoTime();
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        PoolHealth up = pool.health();
        timeline.add("UP@" + millisSince(t0));

        cluster.node(2).stop();
        PoolHealth degraded = awaitStatus(HealthStatus.DEGRADED);
        timeline.add("DEGRADED@" + millisSince(t0));

        cluster.node(0).seal();
        cluster.node(1).seal();
        PoolHealth down = awaitStatus(HealthStatus.DOWN);
        timeline.add("DOWN@" + millisSince(t0));

        cluster.node(2).start();
        cluster.node(0).unseal();
        cluster.node(1).unseal();
        cluster.electLeader(0);
        long back = System.nanoTime();
        PoolHealth upAgain = awaitStatus(HealthStatus.UP);
        timeline.add("UP@" + millisSince(t0) + " (" + millisSince(back) + " ms after the cluster recovered)");
        System.out.printf("measured: health timeline %s%n", timeline);

        assertThat(up.activeNode()).isEqualTo(cluster.node(0).uri());
        assertThat(up.nodes()).allSatisfy(h -> assertThat(h.usable()).isTrue());

        assertThat(degraded.activeNode()).isEqualTo(cluster.node(0).uri());
        assertThat(degraded.nodes().get(2).role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(degraded.nodes().get(2).usable()).isFalse();
        assertThat(degraded.nodes().get(2).lastError()).isNotBlank();

        assertThat(down.activeNode()).isNull();
        assertThat(down.nodes()).extracting(h -> h.role())
                .containsExactly(NodeRole.SEALED, NodeRole.SEALED, NodeRole.UNREACHABLE);
        assertThat(down.nodes()).allSatisfy(h -> {
            assertThat(h.usable()).isFalse();
            assertThat(h.circuitState()).isEqualTo(CircuitState.OPEN);
        });

        assertThat(upAgain.activeNode()).isEqualTo(cluster.node(0).uri());
        assertThat(upAgain.nodes()).extracting(h -> h.role())
                .containsExactly(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);
        assertThat(upAgain.nodes()).allSatisfy(h -> assertThat(h.circuitState()).isEqualTo(CircuitState.CLOSED));
        assertThat(pool.request(FailoverSupport.read()).status()).isEqualTo(200);
    }

    @Test
    void isDegradedWhileNoActiveNodeIsKnownAndStandbysForward() {
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());

        cluster.stepDown();
        PoolHealth electing = awaitStatus(HealthStatus.DEGRADED);
        cluster.electLeader(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.health().status() == HealthStatus.UP
                && cluster.node(1).uri().equals(pool.health().activeNode()));

        assertThat(electing.activeNode()).isNull();
        assertThat(electing.nodes()).allSatisfy(h -> {
            assertThat(h.role()).isEqualTo(NodeRole.STANDBY);
            assertThat(h.usable()).isTrue();
        });
    }
}
