package dev.vaultx.pool.impl;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vaultx.pool.impl.TestPools.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A request its caller gives up on (cancelled future, {@code orTimeout}, an interrupted {@code request()}) or whose
 * deadline passes closes the connection of its try at once: four requests stuck on a node that never answers do
 * not hold four connections until {@code attemptTimeout}.
 */
class CancellationTest {

    private static final int STUCK = 4;
    private static final Duration FREED_WITHIN = Duration.ofMillis(500);

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.start(1);
        // attemptTimeout and requestTimeout far beyond the test: only the caller (or a short deadline) ends a try
        pool = TestPools.startReady(TestPools.config(cluster).size(STUCK).maxOverflow(1)
                .attemptTimeout(Duration.ofSeconds(15)).requestTimeout(Duration.ofSeconds(30)).build(), cluster);
        cluster.resetJournals();
        cluster.node(0).blackhole();
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    private static VaultRequest read() {
        return VaultRequest.get("/v1/secret/data/app").token(TOKEN).build();
    }

    /** Sends {@code STUCK} reads and waits until each is stuck on the node, holding a connection. */
    private List<CompletableFuture<VaultResponse>> stuckReads(VaultRequest request) {
        List<CompletableFuture<VaultResponse>> futures = new ArrayList<>();
        for (int i = 0; i < STUCK; i++) {
            futures.add(pool.requestAsync(request));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(0).requestCount("/v1/secret") == STUCK);
        assertThat(pool.stats().activeConnections()).isEqualTo(STUCK);
        return futures;
    }

    private void assertConnectionsFreedAndNodeUnharmed() {
        await().atMost(FREED_WITHIN).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(pool.stats().activeConnections()).isZero());
        await().atMost(FREED_WITHIN).untilAsserted(() -> assertThat(pool.stats().pendingRequests()).isZero());
        assertThat(pool.health().nodes().get(0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void cancellingStuckRequestsClosesTheirConnectionsAtOnce() {
        List<CompletableFuture<VaultResponse>> futures = stuckReads(read());

        futures.forEach(f -> f.cancel(true));

        assertConnectionsFreedAndNodeUnharmed();
        assertThat(pool.stats().nodes().get(0).failedRequests()).as("tries counted against the node").isZero();
    }

    @Test
    void orTimeoutOnStuckRequestsClosesTheirConnections() {
        List<CompletableFuture<VaultResponse>> futures = new ArrayList<>();
        for (int i = 0; i < STUCK; i++) {
            futures.add(pool.requestAsync(read()).orTimeout(300, TimeUnit.MILLISECONDS));
        }

        for (CompletableFuture<VaultResponse> f : futures) {
            assertThat(catchThrowable(f::join)).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutException.class);
        }
        assertConnectionsFreedAndNodeUnharmed();
    }

    @Test
    void interruptingABlockingRequestClosesItsConnection() throws InterruptedException {
        List<Thread> callers = new ArrayList<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        for (int i = 0; i < STUCK; i++) {
            Thread t = new Thread(() -> {
                try {
                    pool.request(read());
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
            }, "caller-" + i);
            t.start();
            callers.add(t);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(0).requestCount("/v1/secret") == STUCK);

        callers.forEach(Thread::interrupt);
        for (Thread t : callers) {
            t.join(2000);
        }

        assertThat(thrown.get()).isInstanceOf(VaultPoolException.class).hasMessageContaining("interrupted");
        assertConnectionsFreedAndNodeUnharmed();
    }

    @Test
    void theDeadlineOfStuckRequestsClosesTheirConnections() {
        VaultRequest shortDeadline = VaultRequest.get("/v1/secret/data/app").token(TOKEN).timeout(Duration.ofMillis(300)).build();
        List<CompletableFuture<VaultResponse>> futures = stuckReads(shortDeadline);

        for (CompletableFuture<VaultResponse> f : futures) {
            assertThat(catchThrowable(f::join)).hasCauseInstanceOf(RequestTimeoutException.class);
        }
        await().atMost(FREED_WITHIN).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(pool.stats().activeConnections()).isZero());
    }

    @Test
    void cancellingRequestsWaitingForAConnectionGivesUpTheirPlace() {
        List<CompletableFuture<VaultResponse>> stuck = stuckReads(read());
        // the node has size + maxOverflow = 5 connections: one more opens, the next three wait
        List<CompletableFuture<VaultResponse>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(pool.requestAsync(read()));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().pendingRequests() == 3);

        waiting.forEach(f -> f.cancel(true));
        stuck.forEach(f -> f.cancel(true));

        assertConnectionsFreedAndNodeUnharmed();
    }
}
