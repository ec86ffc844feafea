package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.failover.FailoverSupport.HEALTH_INTERVAL;
import static dev.vaultx.pool.impl.failover.FailoverSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.apiRequests;
import static dev.vaultx.pool.impl.failover.FailoverSupport.isShunned;
import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static dev.vaultx.pool.impl.failover.FailoverSupport.nodeHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node that accepts connections and requests but never answers: every stuck try ends at attemptTimeout. */
class BlackholeTest {

    /** The attempt timeout of the fake-ticker test: far longer than the test takes in real time. */
    private static final Duration STUCK_TRY_TIMEOUT = Duration.ofSeconds(30);

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;

    @BeforeEach
    void startCluster() {
        cluster = FailoverSupport.cluster(3);
    }

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    @Test
    void keepsReadsSucceedingWhenActiveIsBlackholed() {
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 200);

        long t0 = System.nanoTime();
        cluster.node(0).blackhole();
        await().atMost(Duration.ofSeconds(3)).until(() -> isShunned(pool, 0));
        long shunnedMs = millisSince(t0);
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 300);
        long stuck = apiRequests(cluster.node(0));

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: active blackholed: node 0 shunned after %d ms; %s%n", shunnedMs, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        // a read stuck on the blackholed node waits one attemptTimeout, maybe a second one if it was leased a
        // connection to it just before the breaker opened, and then is served elsewhere: well within its deadline
        // (the exact rule is eachStuckTryEndsExactlyAtItsAttemptTimeoutOnThePoolsTickerAndMovesOn)
        assertThat(result.slowest()).isLessThan(FailoverSupport.REQUEST_TIMEOUT);
        // probe timeouts are not proof of an outage on their own: three in a row with no request served
        // meanwhile (its breaker is open) mark the node UNREACHABLE
        await().atMost(HEALTH_INTERVAL.multipliedBy(3 + 3).plusSeconds(5))
                .until(() -> nodeHealth(pool, 0).role() == NodeRole.UNREACHABLE);
        assertThat(stuck).as("reads that got stuck on node 0").isPositive();
        assertThat(pool.stats().nodes().get(0).failedRequests()).isPositive();
    }

    /**
     * The attempt timeout is the pool's ticker's: a try stuck on the blackholed node is still waiting one nanosecond
     * before it, however much real time passes, and moves on to another node exactly at it.
     */
    @Test
    void eachStuckTryEndsExactlyAtItsAttemptTimeoutOnThePoolsTickerAndMovesOn() {
        FakeTicker ticker = new FakeTicker();
        // probes far apart, so that the pool still takes node 0 for the active node when the reads are sent. The
        // connections' socket timeout is attemptTimeout on the HTTP client's own (real) clock: long here, so that
        // only the ticker can end a try (with 400 ms, a slow CI machine saw the socket timeout end one first)
        pool = AsyncHttpConnectionPool.builder(FailoverSupport.config(cluster)
                .healthCheckInterval(Duration.ofMinutes(5))
                .attemptTimeout(STUCK_TRY_TIMEOUT)
                .requestTimeout(STUCK_TRY_TIMEOUT.multipliedBy(4))
                .circuitBreakerFailureThreshold(10)
                .build()).ticker(ticker).start();
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        cluster.node(0).blackhole();

        for (int i = 1; i <= 3; i++) {
            int tries = i;
            CompletableFuture<VaultResponse> read = pool.requestAsync(FailoverSupport.read());
            await().atMost(Duration.ofSeconds(5)).until(() -> apiRequests(cluster.node(0)) == tries);
            ticker.advance(STUCK_TRY_TIMEOUT.minusNanos(1));
            Pending.staysPending(read);

            ticker.advanceNanos(1);
            VaultResponse response = read.orTimeout(5, TimeUnit.SECONDS).join();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.node()).isNotEqualTo(cluster.node(0).uri());
            assertThat(apiRequests(cluster.node(0))).as("tries stuck on node 0").isEqualTo(i);
        }
        assertThat(pool.stats().nodes().get(0).failedRequests()).isEqualTo(3);
        assertThat(pool.stats().failedRequests()).isZero();
    }
}
