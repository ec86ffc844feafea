package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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
    void start() {
        cluster = FailoverSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        node0 = cluster.node(0);
        cluster.resetJournals();
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void retriesOnTheSameNodeAfterRetryAfterAndSucceeds() {
        FailoverSupport.BreakerLog breakers = new FailoverSupport.BreakerLog();
        pool.addListener(breakers);
        node0.rateLimit(1, "1");

        long t0 = System.nanoTime();
        VaultResponse response = pool.request(FailoverSupport.read());
        long tookMs = millisSince(t0);
        System.out.printf("measured: 429 with Retry-After: 1 -> answered after %d ms%n", tookMs);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isEqualTo(node0.uri());
        assertThat(tookMs).isBetween(950L, 1600L);
        assertThat(apiRequests(node0)).isEqualTo(2);
        assertThat(apiRequests(cluster.node(1)) + apiRequests(cluster.node(2))).as("quota not evaded elsewhere").isZero();
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(nodeHealth(pool, 0).consecutiveFailures()).isZero();
        assertThat(breakers.transitions).isEmpty();
        assertThat(pool.stats().nodes().get(0).failedRequests()).isZero();
    }

    @Test
    void retriesAfterABackoffWhenThe429HasNoRetryAfter() {
        node0.rateLimit(2, null); // Vault's default: no Retry-After header

        long t0 = System.nanoTime();
        VaultResponse response = pool.request(FailoverSupport.read());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isEqualTo(node0.uri());
        assertThat(millisSince(t0)).isLessThan(2 * pool.config().maxRetryBackoff().toMillis() + 300);
        assertThat(apiRequests(node0)).isEqualTo(3);
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void handsThe429ToTheCallerAtOnceWhenRetryAfterIsBeyondTheDeadline() {
        node0.rateLimit(1, "30");

        long t0 = System.nanoTime();
        VaultResponse response = pool.request(FailoverSupport.read());

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).hasValue("30");
        assertThat(millisSince(t0)).isLessThan(500);
        assertThat(apiRequests(node0)).isEqualTo(1);
        assertThat(nodeHealth(pool, 0).circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void rateLimitedReadsUnderLoadAllSucceedAndNeverTripTheBreaker() {
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
            assertThat(result.slowest()).isLessThan(Duration.ofMillis(3000));
        }
        assertThat(breakers.transitions).as("breaker changes").isEmpty();
        assertThat(pool.stats().nodes().get(0).failedRequests()).as("tries on node 0 counted as failed").isZero();
    }
}
