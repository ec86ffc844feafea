package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.vaultx.pool.impl.failover.FailoverSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.REQUEST_TIMEOUT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** With every node down the pool answers at once with NoAvailableNodeException, never by hanging until the deadline. */
class AllNodesDownTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;

    @BeforeEach
    void start() {
        cluster = FailoverSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
    }

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    @Test
    void everyRequestFailsFastWithNoAvailableNodeListingEachNodesState() {
        cluster.nodes().forEach(SimulatedVaultNode::stop);
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.health().status() == HealthStatus.DOWN);

        long slowest = 0;
        for (int i = 0; i < 20; i++) {
            VaultRequest request = i % 2 == 0 ? FailoverSupport.read() : FailoverSupport.write("down");
            long t0 = System.nanoTime();
            NoAvailableNodeException e = catchThrowableOfType(NoAvailableNodeException.class, () -> pool.request(request));
            slowest = Math.max(slowest, millisSince(t0));

            assertThat(e).as("request %d", i).isNotNull();
            assertThat(e.nodes()).hasSize(3);
            for (SimulatedVaultNode n : cluster.nodes()) {
                assertThat(e.getMessage()).contains("127.0.0.1:" + n.port() + "=UNREACHABLE/breaker OPEN");
            }
            assertThat(e.getMessage()).doesNotContain(FailoverSupport.TOKEN);
        }
        System.out.printf("measured: all nodes down: slowest NoAvailableNodeException after %d ms%n", slowest);
        assertThat(slowest).isLessThan(REQUEST_TIMEOUT.toMillis() / 20);
    }

    @Test
    void readsInFlightWhenEveryNodeStopsFailFastAndTheClusterIsUsedAgainWhenBack() {
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 200);

        long t0 = System.nanoTime();
        cluster.nodes().forEach(SimulatedVaultNode::stop);
        await().atMost(Duration.ofSeconds(3)).until(() -> load.failures() > 500);
        long failingMs = millisSince(t0);
        SustainedLoad.Result down = load.stop();
        System.out.printf("measured: all nodes stopped under load: 500 failures after %d ms; %s%n", failingMs, down);
        assertThat(down.slowest()).isLessThan(REQUEST_TIMEOUT.dividedBy(2));
        assertThat(down.failures()).doesNotContainKey("RequestTimeoutException")
                .containsKey("NoAvailableNodeException");
        assertThat(down.failures().keySet()).allSatisfy(kind -> assertThat(kind)
                .matches("NoAvailableNodeException|VaultTransportException\\(.*\\)"));

        cluster.nodes().forEach(SimulatedVaultNode::start);
        long t1 = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pool.health().status())
                .as("%s", pool.health()).isEqualTo(HealthStatus.UP));
        System.out.printf("measured: all nodes started again: pool UP after %d ms%n", millisSince(t1));
        assertThat(pool.request(FailoverSupport.read()).status()).isEqualTo(200);
    }
}
