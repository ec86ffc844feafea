package dev.vaultx.pool.impl;

import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Borrow timeout, overflow connections and the pending-request limit, on a one-node pool. */
class PoolExhaustionTest {

    private static final Duration SLOW = Duration.ofMillis(1500);
    private static final Duration BORROW = Duration.ofMillis(300);

    private static SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.start(1);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void clearFaults() {
        cluster.clearFaults();
    }

    @AfterEach
    void closePool() {
        cluster.clearFaults();
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void fourthRequestFailsWithPoolStateAfterBorrowTimeout() {
        pool = TestPools.startReady(TestPools.config(cluster).size(2).maxOverflow(1).borrowTimeout(BORROW)
                .overflowIdleTimeout(Duration.ofMillis(300)).build(), cluster);
        assertThat(pool.stats().totalConnections()).isEqualTo(2);
        cluster.node(0).slow(SLOW);

        List<CompletableFuture<VaultResponse>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(pool.requestAsync(read("app")));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().activeConnections() == 3);

        long start = System.nanoTime();
        PoolExhaustedException e = catchThrowableOfType(PoolExhaustedException.class, () -> pool.request(read("app")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).as("the fourth request fails").isNotNull();
        assertThat(took).isGreaterThanOrEqualTo(BORROW).isLessThan(SLOW.minusMillis(500));
        assertThat(e.waited()).isGreaterThanOrEqualTo(BORROW.minusMillis(5)).isLessThan(SLOW.minusMillis(500));
        assertThat(e.node()).isEqualTo(cluster.node(0).uri());
        assertThat(e.poolName()).isEqualTo(pool.name());
        assertThat(e.getMessage())
                .startsWith(pool.name() + " - connection not available on " + cluster.node(0).uri())
                .contains("size=2", "maxOverflow=1", "total=3", "active=3", "idle=0", "waiting=");
        assertThat(slow).noneMatch(CompletableFuture::isDone);

        // the slow ones still succeed; the overflow connection is closed once unneeded for overflowIdleTimeout
        assertThat(slow).allSatisfy(f -> assertThat(f.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(pool.stats().totalConnections()).isEqualTo(2);
            assertThat(pool.stats().activeConnections()).isZero();
            assertThat(pool.stats().idleConnections()).isEqualTo(2);
        });
        assertThat(pool.stats().failedRequests()).isEqualTo(1);
        assertThat(pool.stats().totalRequests()).isEqualTo(4);
    }

    @Test
    void requestWaitingForAConnectionGetsOneThatIsReturnedInTime() {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0)
                .borrowTimeout(Duration.ofSeconds(3)).build(), cluster);
        cluster.node(0).slow(Duration.ofMillis(400));

        CompletableFuture<VaultResponse> first = pool.requestAsync(read("app"));
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().activeConnections() == 1);
        CompletableFuture<VaultResponse> second = pool.requestAsync(read("app"));
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().pendingRequests() == 1);

        assertThat(first.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(second.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(pool.stats().totalConnections()).isEqualTo(1);
    }

    @Test
    void requestBeyondMaxPendingRequestsIsRejectedAtOnce() {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0).maxPendingRequests(1)
                .borrowTimeout(Duration.ofSeconds(3)).build(), cluster);
        cluster.node(0).slow(Duration.ofMillis(700));

        CompletableFuture<VaultResponse> inFlight = pool.requestAsync(read("app"));
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().activeConnections() == 1);
        CompletableFuture<VaultResponse> waiting = pool.requestAsync(read("app"));
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().pendingRequests() == 1);

        long start = System.nanoTime();
        PoolExhaustedException e = catchThrowableOfType(PoolExhaustedException.class, () -> pool.request(read("app")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).as("the third request is rejected").isNotNull();
        assertThat(e.waited()).isZero();
        assertThat(e.node()).isNull();
        assertThat(took).isLessThan(Duration.ofMillis(500));
        assertThat(e.getMessage()).contains("rejected at once", "maxPendingRequests=1", "pending=1", "size=1",
                "maxOverflow=0");
        // the two admitted requests are unaffected
        assertThat(inFlight.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(waiting.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200);
        assertThat(pool.stats().failedRequests()).isEqualTo(1);
    }

    @Test
    void getConnectionIsRejectedAtOnceBeyondMaxPendingRequests() {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0).maxPendingRequests(1)
                .borrowTimeout(Duration.ofSeconds(3)).build(), cluster);

        PooledConnection held = pool.getConnection();
        try {
            CompletableFuture<PooledConnection> waiter = CompletableFuture.supplyAsync(
                    () -> pool.getConnection(Duration.ofSeconds(3)));
            await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().pendingRequests() == 1);

            long start = System.nanoTime();
            PoolExhaustedException e = catchThrowableOfType(PoolExhaustedException.class,
                    () -> pool.getConnection(Duration.ofSeconds(3)));

            assertThat(e).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(e.waited()).isZero();
            held.close();
            try (PooledConnection second = waiter.orTimeout(5, TimeUnit.SECONDS).join()) {
                assertThat(second.isOpen()).isTrue();
            }
        } finally {
            held.close();
        }
    }

    @Test
    void overflowConnectionsOpenUnderLoadStayWhenReturnedAndCloseOnceUnneededForOverflowIdleTimeout() {
        Duration overflowIdle = Duration.ofMillis(700);
        pool = TestPools.startReady(TestPools.config(cluster).size(2).maxOverflow(3)
                .borrowTimeout(Duration.ofSeconds(3)).overflowIdleTimeout(overflowIdle).build(), cluster);
        cluster.node(0).slow(Duration.ofMillis(500));

        List<CompletableFuture<VaultResponse>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(pool.requestAsync(read("app")));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().totalConnections() == 5);
        assertThat(pool.stats().nodes().get(0).maxConnections()).isEqualTo(5);

        assertThat(all).allSatisfy(f -> assertThat(f.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200));
        long returned = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).until(() -> pool.stats().activeConnections() == 0);
        assertThat(pool.stats().totalConnections()).as("returned overflow connections are kept, not closed")
                .isEqualTo(5);

        await().atMost(overflowIdle.plusSeconds(1)).untilAsserted(() -> {
            assertThat(pool.stats().totalConnections()).isEqualTo(2);
            assertThat(pool.stats().idleConnections()).isEqualTo(2);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - returned)).as("not before overflowIdleTimeout")
                .isGreaterThanOrEqualTo(overflowIdle.minusMillis(50));
        NodeStats node = pool.stats().nodes().get(0);
        assertThat(node.connectionsOpened()).isEqualTo(5);
        assertThat(node.connectionsClosed()).isEqualTo(3);
    }
}
