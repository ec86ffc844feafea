package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes that redirect to each other (a 307 loop), and a node that redirects to itself: a request
 * follows at most one hop and then hands the 307 to the caller, quickly; it never loops until its
 * deadline, and the pool keeps serving once the loop is gone.
 */
@Timeout(60)
class RedirectLoopTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = HardeningSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(cluster.urls()).build());
        pool.awaitReady(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void twoNodesPointingAtEachOtherEndAfterOneHopWithThe307() {
        cluster.node(0).redirectTo(cluster.node(1).uri());
        cluster.node(1).redirectTo(cluster.node(0).uri());
        cluster.resetJournals();

        long t0 = System.nanoTime();
        List<HardeningSupport.Tracked> burst = HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i));
        HardeningSupport.Result result = HardeningSupport.awaitAll(burst);
        long api = cluster.totalRequests("/v1/secret");
        System.out.printf("measured: 307 loop between nodes 0 and 1: %s, %d API requests for %d requests, burst took %d ms%n",
                result, api, IN_FLIGHT, HardeningSupport.millisSince(t0));

        assertThat(result.outcomes()).containsOnlyKeys("HTTP 307");
        assertThat(result.responses()).allSatisfy(r -> assertThat(r.header("Location")).isPresent());
        assertThat(api).as("API requests: the first try and one hop each").isEqualTo(2L * IN_FLIGHT);
        assertThat(result.slowestMillis()).as("no waiting on a loop").isLessThan(HardeningSupport.ATTEMPT_TIMEOUT.toMillis());
        HardeningSupport.assertQuiescent(pool);

        cluster.clearFaults();
        VaultResponse healed = pool.request(HardeningSupport.read());
        assertThat(healed.status()).isEqualTo(200);
    }

    @Test
    void aNodeRedirectingToItselfIsNotFollowed() {
        cluster.node(0).redirectTo(cluster.node(0).uri());
        cluster.resetJournals();

        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> HardeningSupport.read()));
        System.out.printf("measured: node 0 redirects to itself: %s%n", result);

        assertThat(result.outcomes()).containsOnlyKeys("HTTP 307");
        assertThat(cluster.totalRequests("/v1/secret")).isEqualTo(IN_FLIGHT);
        HardeningSupport.assertQuiescent(pool);
    }
}
