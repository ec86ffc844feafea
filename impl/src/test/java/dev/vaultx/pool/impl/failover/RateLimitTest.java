package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static dev.vaultx.pool.impl.failover.FailoverSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.apiRequests;
import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static dev.vaultx.pool.impl.failover.FailoverSupport.nodeHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A 429 on an API path is a rate-limit quota of that node: honour Retry-After there, never count it against the node. */
class RateLimitTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SimulatedVaultNode node0;

    @BeforeEach
    void startCluster() {
        cluster = FailoverSupport.cluster(3);
        node0 = cluster.node(0);
    }

    /** Starts the pool on {@code ticker} and waits until it has settled on node 0 as the active node. */
    private void startPool(LongSupplier ticker) {
        pool = AsyncHttpConnectionPool.builder(FailoverSupport.config(cluster).build()).ticker(ticker).start();
        FailoverSupport.awaitSettled(pool, node0.uri());
        cluster.resetJournals();
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    /** The wait is the pool's ticker's: the retry goes exactly when the ticker has moved Retry-After on. */
    @Test
    void retryAfterIsWaitedOutOnThePoolsTickerBeforeTheRetryOnTheSameNode() {
        FakeTicker ticker = new FakeTicker();
        startPool(ticker);
        node0.rateLimit(1, "2");

        CompletableFuture<VaultResponse> read = pool.requestAsync(FailoverSupport.read());
        await().atMost(Duration.ofSeconds(5)).until(() -> apiRequests(node0) == 1);
        ticker.advance(Duration.ofSeconds(2).minusNanos(1));
        Pending.staysPending(read);
        assertThat(apiRequests(node0)).isEqualTo(1);

        ticker.advanceNanos(1);
        VaultResponse response = read.orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isEqualTo(node0.uri());
        assertThat(apiRequests(node0)).isEqualTo(2);
        assertThat(apiRequests(cluster.node(1)) + apiRequests(cluster.node(2))).as("quota not evaded elsewhere").isZero();
    }

    /** Without Retry-After each retry waits a backoff of at most maxRetryBackoff on the pool's ticker. */
    @Test
    void retriesAfterABackoffOfAtMostMaxRetryBackoffOnThePoolsTickerWhenThe429HasNoRetryAfter() {
        FakeTicker ticker = new FakeTicker();
        startPool(ticker);
        node0.rateLimit(2, null); // Vault's default: no Retry-After header
        Duration maxBackoff = pool.config().maxRetryBackoff();

        CompletableFuture<VaultResponse> read = pool.requestAsync(FailoverSupport.read());
        await().atMost(Duration.ofSeconds(5)).until(() -> apiRequests(node0) == 1);
        ticker.advance(maxBackoff);
        await().atMost(Duration.ofSeconds(5)).until(() -> apiRequests(node0) == 2);
        ticker.advance(maxBackoff);
        VaultResponse response = read.orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isEqualTo(node0.uri());
        assertThat(apiRequests(node0)).isEqualTo(3);
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    /** A Retry-After beyond the deadline is not waited for at all: the 429 comes back with the ticker standing still. */
    @Test
    void handsThe429ToTheCallerAtOnceWhenRetryAfterIsBeyondTheDeadline() {
        startPool(new FakeTicker());
        node0.rateLimit(1, "30");

        VaultResponse response = pool.requestAsync(FailoverSupport.read()).orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).hasValue("30");
        assertThat(apiRequests(node0)).isEqualTo(1);
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    /** End to end on the system ticker: the read is answered after the real second Retry-After asks for. */
    @Test
    void retriesOnTheSameNodeAfterRetryAfterAndSucceeds() {
        startPool(System::nanoTime);
        FailoverSupport.BreakerLog breakers = new FailoverSupport.BreakerLog();
        pool.addListener(breakers);
        node0.rateLimit(1, "1");

        long t0 = System.nanoTime();
        VaultResponse response = pool.request(FailoverSupport.read());
        long tookMs = millisSince(t0);
        System.out.printf("measured: 429 with Retry-After: 1 -> answered after %d ms%n", tookMs);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isEqualTo(node0.uri());
        // not earlier than asked; later only by a loaded machine (the exact wait is the fake-ticker test's)
        assertThat(tookMs).isBetween(950L, FailoverSupport.REQUEST_TIMEOUT.toMillis());
        assertThat(apiRequests(node0)).isEqualTo(2);
        assertThat(apiRequests(cluster.node(1)) + apiRequests(cluster.node(2))).as("quota not evaded elsewhere").isZero();
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(nodeHealth(pool, 0).consecutiveFailures()).isZero();
        assertThat(breakers.transitions).isEmpty();
        assertThat(pool.stats().nodes().get(0).failedRequests()).isZero();
    }

    @Test
    void rateLimitedReadsUnderLoadAllSucceedAndNeverTripTheBreaker() {
        startPool(System::nanoTime);
        FailoverSupport.BreakerLog breakers = new FailoverSupport.BreakerLog();
        pool.addListener(breakers);
        SustainedLoad load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 200);
            // every read in flight is limited once, half of them twice: within maxRetries (3) for all
            node0.rateLimit(IN_FLIGHT + IN_FLIGHT / 2, "1");
            long successes = load.successes();
            await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 400);
        } finally {
            SustainedLoad.Result result = load.stop();
            System.out.printf("measured: %d x 429 (Retry-After: 1) under load: %s%n", IN_FLIGHT + IN_FLIGHT / 2, result);
            assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
            assertThat(result.slowest()).isLessThan(FailoverSupport.REQUEST_TIMEOUT);
        }
        assertThat(breakers.transitions).as("breaker changes").isEmpty();
        assertThat(pool.stats().nodes().get(0).failedRequests()).as("tries on node 0 counted as failed").isZero();
    }
}
