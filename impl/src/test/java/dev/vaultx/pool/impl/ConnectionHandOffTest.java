package dev.vaultx.pool.impl;

import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests that wait for a node's connection (all {@code size + maxOverflow} busy) are served in arrival order as
 * slots come free: a returned connection is handed over, a closed one's slot lets the waiter open a new one, and a
 * grown pool serves waiters at once. Each test keeps the borrow timeout long, so a waiter that is not served
 * promptly would still be waiting when the assertion gives up.
 */
class ConnectionHandOffTest {

    private static final Duration SLOW = Duration.ofSeconds(4);
    private static final Duration PROMPTLY = Duration.ofSeconds(1);

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

    @AfterEach
    void closePool() {
        cluster.clearFaults();
        if (pool != null) {
            pool.close();
        }
    }

    private NodeStats node() {
        return pool.stats().nodes().get(0);
    }

    @Test
    void growingThePoolServesRequestsAlreadyWaiting() {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0).borrowTimeout(Duration.ofSeconds(30)).build(),
                cluster);
        cluster.node(0).slow(SLOW);
        CompletableFuture<VaultResponse> first = pool.requestAsync(read("app"));
        CompletableFuture<VaultResponse> second = pool.requestAsync(read("app"));
        await().atMost(PROMPTLY).until(() -> node().pendingRequests() == 1 && node().activeConnections() == 1);

        pool.control().resize(2, 0);

        await().atMost(PROMPTLY).untilAsserted(() -> {
            assertThat(node().pendingRequests()).as("the waiter got the new slot").isZero();
            assertThat(node().activeConnections()).isEqualTo(2);
        });
        assertThat(first).isNotDone();
        cluster.clearFaults();
        assertThat(first.join().status()).isEqualTo(200);
        assertThat(second.join().status()).isEqualTo(200);
    }

    @Test
    void aCancelledRequestsSlotGoesToTheNextWaiter() {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0).borrowTimeout(Duration.ofSeconds(30)).build(),
                cluster);
        cluster.node(0).slow(SLOW);
        CompletableFuture<VaultResponse> stuck = pool.requestAsync(read("app"));
        await().atMost(PROMPTLY).until(() -> node().activeConnections() == 1);
        CompletableFuture<VaultResponse> waiter = pool.requestAsync(read("app"));
        await().atMost(PROMPTLY).until(() -> node().pendingRequests() == 1);

        stuck.cancel(true); // its connection is closed (an exchange was under way on it), its slot passes on

        await().atMost(PROMPTLY).untilAsserted(() -> {
            assertThat(node().pendingRequests()).as("the waiter no longer waits").isZero();
            assertThat(node().activeConnections()).as("it opened a connection of its own").isEqualTo(1);
        });
        cluster.clearFaults();
        assertThat(waiter.join().status()).isEqualTo(200);
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0).borrowTimeout(Duration.ofSeconds(30)).build(),
                cluster);
        cluster.node(0).slow(Duration.ofMillis(250));
        CompletableFuture<VaultResponse> holder = pool.requestAsync(read("app"));
        long[] doneAt = new long[5];
        CompletableFuture<?>[] waiters = new CompletableFuture<?>[5];
        for (int i = 0; i < waiters.length; i++) {
            int n = i;
            // requestAsync queues the request before it returns, so the loop sets the order of arrival
            waiters[i] = pool.requestAsync(read("app")).thenRun(() -> doneAt[n] = System.nanoTime());
        }
        assertThat(node().pendingRequests()).isEqualTo(5);

        CompletableFuture.allOf(waiters).get();
        holder.join();
        for (int i = 1; i < doneAt.length; i++) {
            assertThat(doneAt[i]).as("waiter %d finished after waiter %d", i, i - 1).isGreaterThan(doneAt[i - 1]);
        }
        assertThat(node().connectionsOpened()).as("one connection served all six").isEqualTo(1);
    }
}
