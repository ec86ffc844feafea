package dev.vaultx.pool.impl;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** close(): requests in flight finish, new work is refused, everything is released, idempotent. */
class PoolCloseTest {

    private static SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.start(3);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void resetCluster() {
        cluster.clearFaults();
        cluster.resetJournals();
    }

    @AfterEach
    void closePool() {
        cluster.clearFaults();
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void requestsInFlightCompleteAndNewOnesFailWhileClosing() {
        pool = TestPools.startReady(TestPools.config(cluster).shutdownTimeout(Duration.ofSeconds(5)).build(), cluster);
        cluster.node(0).slow(Duration.ofMillis(800));
        List<CompletableFuture<VaultResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(pool.requestAsync(read("app")));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.node(0).requestCount("/v1/secret/") == 3);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        await().atMost(Duration.ofSeconds(2)).until(pool::isClosed);

        // while the pool waits for the slow ones, new work is refused
        assertThat(closing).isNotDone();
        assertThatThrownBy(() -> pool.request(read("app"))).isInstanceOf(PoolClosedException.class)
                .hasMessage(pool.name() + " - pool is closed");
        CompletableFuture<VaultResponse> refused = pool.requestAsync(read("app"));
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PoolClosedException.class);

        closing.orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(inFlight).allSatisfy(f -> {
            assertThat(f).isCompleted();
            assertThat(f.join().status()).isEqualTo(200);
        });
        assertThat(cluster.node(0).requestCount("/v1/secret/")).as("refused requests were never sent").isEqualTo(3);
    }

    @Test
    void closeReturnsOnlyAfterRequestsInFlightFinished() {
        pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);
        cluster.node(0).slow(Duration.ofMillis(500));
        CompletableFuture<VaultResponse> slow = pool.requestAsync(read("app"));
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.node(0).requestCount("/v1/secret/") == 1);

        pool.close();

        assertThat(slow).isCompleted();
        assertThat(slow.join().status()).isEqualTo(200);
    }

    @Test
    void requestStillInFlightAtTheShutdownTimeoutFailsWithPoolClosedAndCloseReturns() {
        pool = TestPools.startReady(TestPools.config(cluster).shutdownTimeout(Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(30)).attemptTimeout(Duration.ofSeconds(30)).build(), cluster);
        cluster.node(0).blackhole();
        CompletableFuture<VaultResponse> stuck = pool.requestAsync(read("app"));
        CompletableFuture<VaultResponse> blocked = CompletableFuture.supplyAsync(() -> pool.request(read("app")));
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.node(0).requestCount("/v1/secret/") == 2);

        long start = System.nanoTime();
        pool.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(2));
        // neither the future nor the blocked caller is left hanging
        assertThatThrownBy(() -> stuck.orTimeout(2, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(PoolClosedException.class);
        assertThatThrownBy(() -> blocked.orTimeout(2, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(PoolClosedException.class);
        assertThat(pool.stats().failedRequests()).isEqualTo(2);
    }

    /** The shutdown timeout is measured on the pool's ticker: real time alone does not end the wait. */
    @Test
    void closeWaitsForARequestInFlightUntilThePoolsTickerPassesTheShutdownTimeout() {
        FakeTicker ticker = new FakeTicker();
        Duration shutdownTimeout = Duration.ofSeconds(10);
        pool = AsyncHttpConnectionPool.builder(TestPools.config(cluster).shutdownTimeout(shutdownTimeout)
                .requestTimeout(Duration.ofSeconds(30)).attemptTimeout(Duration.ofSeconds(30)).build()).ticker(ticker).start();
        pool.awaitReady(TestPools.READY);
        cluster.node(0).blackhole();
        CompletableFuture<VaultResponse> stuck = pool.requestAsync(read("app"));
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.node(0).requestCount("/v1/secret/") == 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        await().atMost(Duration.ofSeconds(2)).until(pool::isClosed);
        ticker.advance(shutdownTimeout.minusNanos(1));
        Pending.staysPending(closing);

        ticker.advanceNanos(1);
        await().atMost(Duration.ofSeconds(5)).until(closing::isDone);
        assertThatThrownBy(() -> stuck.orTimeout(2, TimeUnit.SECONDS).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(PoolClosedException.class);
    }

    @Test
    void closeIsIdempotent() {
        pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);
        assertThat(pool.isClosed()).isFalse();

        pool.close();
        assertThatCode(pool::close).doesNotThrowAnyException();
        assertThatCode(pool::close).doesNotThrowAnyException();

        assertThat(pool.isClosed()).isTrue();
        assertThat(pool.toString()).contains("closed");
    }

    @Test
    void concurrentClosesAreHarmless() {
        pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);

        CompletableFuture<?>[] closes = new CompletableFuture<?>[4];
        for (int i = 0; i < closes.length; i++) {
            closes[i] = CompletableFuture.runAsync(pool::close);
        }

        assertThatCode(() -> CompletableFuture.allOf(closes).orTimeout(5, TimeUnit.SECONDS).join())
                .doesNotThrowAnyException();
        assertThat(pool.isClosed()).isTrue();
    }

    @Test
    void noPoolThreadIsLeftAfterClose() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        pool = TestPools.startReady(TestPools.config(cluster).ioThreads(2).build(), cluster);
        assertThat(pool.request(read("app")).status()).isEqualTo(200);
        assertThat(TestPools.poolThreads(pool.name())).isNotEmpty();
        assertThat(newThreads(before)).anyMatch(n -> n.startsWith("httpclient-"));

        pool.close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(TestPools.poolThreads(pool.name())).isEmpty();
            // the HTTP client's reactor threads (not named after the pool) are gone too
            assertThat(newThreads(before)).noneMatch(n -> n.startsWith("httpclient-"));
        });
    }

    @Test
    void closedPoolStillReportsStatsAndHealth() {
        pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);
        assertThat(pool.request(read("app")).status()).isEqualTo(200);

        pool.close();

        assertThat(pool.stats().totalRequests()).isEqualTo(1);
        assertThat(pool.stats().totalConnections()).isZero();
        assertThatCode(pool::health).doesNotThrowAnyException();
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
