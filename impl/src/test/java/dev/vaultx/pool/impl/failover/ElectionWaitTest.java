package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads waiting out a leader election back off (with jitter, paid from the retry budget) instead of hitting the
 * leaderless cluster's standbys every few tens of milliseconds, and still none fails.
 */
class ElectionWaitTest {

    private static final int IN_FLIGHT = 64;
    private static final Duration ELECTION = Duration.ofMillis(1500);

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    @Test
    void readsWaitingOutAnElectionBackOffAndNoneFails() {
        cluster = FailoverSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).size(32).maxOverflow(32).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        // steady load for a while first, as a pool in service has: the retry budget is a share of the requests of
        // the last ten seconds, and a pool a moment old would have too small a budget for 64 reads to wait out an
        // election (this test failed about one run in three when the election began after 500 reads)
        await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() > 3000);

        // no active node: both remaining standbys answer 503 "no active Vault instance found" for 1.5 s
        long t0 = System.nanoTime();
        long before = cluster.totalRequests(FailoverSupport.API);
        long servedBefore = load.successes();
        cluster.stepDown();
        await().pollDelay(ELECTION).atMost(ELECTION.plusSeconds(1)).until(() -> true);
        long hits = cluster.totalRequests(FailoverSupport.API) - before;
        long served = load.successes() - servedBefore;
        cluster.electLeader(2);
        long electionMs = millisSince(t0);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.node(2).uri().equals(pool.health().activeNode()));
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 500);

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: a %d ms election at %d reads in flight: %d requests reached the standbys (%.1f per read"
                + " in flight), %d reads completed meanwhile; %s%n", electionMs, IN_FLIGHT, hits, (double) hits / IN_FLIGHT,
                served, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        // each waiting read hits the standbys about four times in 1.5 s (waits of 100-200, 200-400, 400-800 ms ...),
        // not every 100 ms on average as a fixed 0-200 ms wait would make it
        assertThat(hits).isLessThan(IN_FLIGHT * 8L);
    }
}
