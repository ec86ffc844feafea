package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that answers random bytes instead of HTTP and closes (testkit {@code garbage()}, health probes
 * included). Reads move to the other nodes; writes, which the node may have processed, fail typed and are
 * never re-sent; a cluster of one such node fails every request typed, within its deadline.
 */
@Timeout(60)
class GarbageResponseTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void readsMoveToOtherNodesAndWritesFailTypedWhenTheActiveNodeAnswersGarbage() {
        cluster = HardeningSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(cluster.urls()).build());
        pool.awaitReady(Duration.ofSeconds(5));
        cluster.node(0).garbage();
        cluster.resetJournals();

        long t0 = System.nanoTime();
        List<HardeningSupport.Tracked> burst = HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i));
        HardeningSupport.Result result = HardeningSupport.awaitAll(burst);
        System.out.printf("measured: active answers garbage, %d reads+writes: %s, burst took %d ms%n", IN_FLIGHT, result,
                HardeningSupport.millisSince(t0));

        for (int i = 0; i < burst.size(); i++) {
            HardeningSupport.Tracked t = burst.get(i);
            if (i % 2 == 0) {
                assertThat(t.future).as("read %d", i).isCompletedWithValueMatching(r -> r.status() == 200);
            } else if (t.future.isCompletedExceptionally()) {
                Throwable e = HardeningSupport.unwrap(t.future.handle((r, x) -> x).join());
                assertThat(e).as("write %d", i).isInstanceOf(VaultTransportException.class);
                assertThat(((VaultTransportException) e).kind().isBeforeSend()).as("kind of %s", e).isFalse();
            }
        }
        long posts = cluster.nodes().stream().flatMap(n -> n.requests().stream())
                .filter(r -> r.method().equals("POST")).count();
        assertThat(posts).as("POSTs received: a write is never sent twice").isLessThanOrEqualTo(IN_FLIGHT / 2);
        assertThat(result.count("VaultTransportException(PROTOCOL_ERROR)") + result.count("VaultTransportException(CONNECTION_RESET)")
                + result.count("VaultTransportException(IO)")).as("writes that met the garbage").isPositive();
        HardeningSupport.assertQuiescent(pool);

        // the other nodes keep serving once the burst is over
        assertThat(pool.request(HardeningSupport.read()).status()).isEqualTo(200);
    }

    @Test
    void everyRequestFailsTypedWithinItsDeadlineWhenTheOnlyNodeAnswersGarbage() {
        cluster = HardeningSupport.cluster(1);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(cluster.urls()).build());
        pool.awaitReady(Duration.ofSeconds(5));
        cluster.node(0).garbage();

        long t0 = System.nanoTime();
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i)));
        System.out.printf("measured: only node answers garbage: %s, burst took %d ms%n", result, HardeningSupport.millisSince(t0));

        assertThat(result.responses()).isEmpty();
        assertThat(result.failures()).hasSize(IN_FLIGHT).allSatisfy(e -> assertThat(e)
                .isInstanceOfAny(VaultTransportException.class, NoAvailableNodeException.class)
                .isInstanceOf(VaultPoolException.class));
        HardeningSupport.assertQuiescent(pool);
    }
}
