package dev.vaultx.pool.impl;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolControl.DrainResult;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Drains end however the node's work ends: returned leases, requests that time out waiting or fail to connect, a
 * pool that closes first. Connects are black-holed with a real loopback socket ({@link ConnectBlackhole}).
 */
class DrainTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private ConnectBlackhole hole;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, hole, cluster);
    }

    private void startCluster(int nodes) {
        cluster = SimulatedVaultCluster.start(nodes);
        cluster.put("app", Map.of("k", "v"));
    }

    /**
     * One connection per node; the node's connects black-holed once it is known active: the first request's connect
     * hangs (connect timeout 1 s), the others time out waiting for the one slot (borrowTimeout 300 ms). Before, no
     * decrement of the waiting count woke the drain: it reported {@code completed=false, stillBusy=0} at its timeout.
     */
    @Test
    void drainCompletesWhenQueuedRequestsTimeOut() throws Exception {
        startCluster(1);
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0).maxRetries(0)
                .timeout(Duration.ofSeconds(1)).borrowTimeout(Duration.ofMillis(300)).build(), cluster);
        int port = cluster.node(0).port();
        cluster.node(0).stop();
        hole = ConnectBlackhole.bind(port);
        pool.control().evictIdle();

        List<CompletableFuture<VaultResponse>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(pool.requestAsync(read("app")));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().nodes().get(0).pendingRequests() == 4);
        CompletableFuture<DrainResult> drain = pool.control().drain(cluster.node(0).uri().toString(), Duration.ofSeconds(20));

        await().atMost(Duration.ofSeconds(5)).until(() -> queued.stream().allMatch(CompletableFuture::isDone));
        assertThat(queued).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        DrainResult result = await().atMost(Duration.ofSeconds(2)).until(() -> drain.getNow(null), r -> r != null);
        assertThat(result.completed()).as("%s", result).isTrue();
        assertThat(result.stillBusy()).isZero();
        assertThat(result.waited()).isLessThan(Duration.ofSeconds(5));
    }

    /** Idle connections are closed when the drain starts, not when the node's last lease comes back. */
    @Test
    void drainClosesIdleConnectionsAtOnceWhileALeaseIsOut() throws Exception {
        startCluster(1);
        pool = TestPools.startReady(TestPools.config(cluster).size(3).build(), cluster);
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().nodes().get(0).idleConnections() == 3);
        try (PooledConnection held = pool.getConnection(Duration.ofSeconds(2))) {
            CompletableFuture<DrainResult> drain = pool.control().drain(cluster.node(0).uri().toString(), Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().nodes().get(0).idleConnections() == 0);
            assertThat(drain).isNotDone();
            assertThat(pool.stats().nodes().get(0).activeConnections()).isEqualTo(1);
            held.close();
            DrainResult result = drain.get(2, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.completed()).isTrue();
            assertThat(result.stillBusy()).isZero();
        }
    }

    /**
     * Two drains of one node, say from JConsole and a deploy script: both complete when its last lease comes back.
     * Before, the second replaced the first's wake-up, and the first completed only at its timeout.
     */
    @Test
    void twoDrainsOfOneNodeBothCompleteWhenItsLastLeaseReturns() throws Exception {
        startCluster(1);
        pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);
        String node = cluster.node(0).uri().toString();
        PooledConnection held = pool.getConnection(Duration.ofSeconds(2));
        CompletableFuture<DrainResult> first = pool.control().drain(node, Duration.ofSeconds(30));
        CompletableFuture<DrainResult> second = pool.control().drain(node, Duration.ofSeconds(30));
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        held.close();

        for (CompletableFuture<DrainResult> drain : List.of(first, second)) {
            DrainResult result = drain.get(2, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.completed()).as("%s", result).isTrue();
            assertThat(result.stillBusy()).isZero();
        }
    }

    /** A drain's timeout is measured on the pool's ticker: with a lease still out it ends exactly there. */
    @Test
    void drainWithALeaseStillOutEndsExactlyWhenThePoolsTickerPassesItsTimeout() throws Exception {
        startCluster(1);
        FakeTicker ticker = new FakeTicker();
        pool = AsyncHttpConnectionPool.builder(TestPools.config(cluster).size(2).build()).ticker(ticker).start();
        pool.awaitReady(TestPools.READY);
        Duration timeout = Duration.ofSeconds(20);
        try (PooledConnection held = pool.getConnection(Duration.ofSeconds(2))) {
            CompletableFuture<DrainResult> drain = pool.control().drain(cluster.node(0).uri().toString(), timeout);
            ticker.advance(timeout.minusNanos(1));
            Pending.staysPending(drain);

            ticker.advanceNanos(1);
            DrainResult result = drain.get(5, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(result.completed()).as("%s", result).isFalse();
            assertThat(result.stillBusy()).isEqualTo(1);
            assertThat(result.waited()).isEqualTo(timeout);
        }
    }

    /** A drain still waiting when the pool closes completes exceptionally; before, its future never completed. */
    @Test
    void drainCompletesExceptionallyWhenThePoolClosesFirst() {
        startCluster(1);
        pool = TestPools.startReady(TestPools.config(cluster).shutdownTimeout(Duration.ofMillis(200)).build(), cluster);
        PooledConnection held = pool.getConnection(Duration.ofSeconds(2));
        CompletableFuture<DrainResult> drain = pool.control().drain(cluster.node(0).uri().toString(), Duration.ofSeconds(30));
        assertThat(drain).isNotDone();

        pool.close();

        assertThatThrownBy(() -> drain.get(2, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoolClosedException.class);
        held.close();
    }

    /**
     * A node that black-holes connections from the start: the prewarm's connects hang for the connect timeout
     * (10 s), but they are not traffic. Before, readiness waited for them, they counted as pending and waiting, and
     * a drain of that node waited for them too.
     */
    @Test
    void blackHoledNodeAtStartDelaysNeitherStartupNorDrain() throws Exception {
        startCluster(1);
        hole = ConnectBlackhole.bind(0);
        List<java.net.URI> nodes = List.of(cluster.node(0).uri(), hole.uri());
        long start = System.nanoTime();
        pool = AsyncHttpConnectionPool.start(PoolConfig.builder().name(TestPools.uniqueName("blackhole-start"))
                .nodeUris(nodes).size(2).maxOverflow(0).ioThreads(1).prewarm(true)
                .timeout(Duration.ofSeconds(10)).healthCheckTimeout(Duration.ofMillis(500))
                .healthCheckInterval(Duration.ofSeconds(60)).maxPendingRequests(1).build());
        pool.awaitReady(Duration.ofSeconds(9));
        long readyMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(readyMs).as("ready after %d ms", readyMs).isLessThan(3_000);
        assertThat(pool.stats().pendingRequests()).isZero();
        assertThat(pool.stats().nodes().get(1).pendingRequests()).isZero();
        // prewarm takes no place under maxPendingRequests (1 here): a read goes through
        assertThat(pool.request(read("app")).status()).isEqualTo(200);
        DrainResult drained = pool.control().drain(hole.uri().toString(), Duration.ofSeconds(20)).get(2, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(drained.completed()).isTrue();
        System.out.printf("measured: black-holed node at start: ready after %d ms, its drain took %d ms%n", readyMs,
                drained.waited().toMillis());
    }
}
