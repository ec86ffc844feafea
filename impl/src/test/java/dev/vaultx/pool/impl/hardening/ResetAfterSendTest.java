package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection is reset after the request was sent (testkit {@code reset()}: the node reads the
 * request, then RST). The node may have acted on it, so a POST is never sent again: the journal shows
 * each write at most once, across all nodes, and a reset write fails typed. Reads are retried elsewhere.
 */
@Timeout(60)
class ResetAfterSendTest {

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
    void aSingleResetPostIsSentOnceAndFailsTyped() {
        cluster.node(0).reset();
        cluster.resetJournals();

        long t0 = System.nanoTime();
        Throwable e = HardeningSupport.unwrap(pool.requestAsync(HardeningSupport.write("once")).handle((r, x) -> x).join());
        System.out.printf("measured: POST reset after send failed after %d ms with %s%n", HardeningSupport.millisSince(t0), e);

        assertThat(e).isInstanceOf(VaultTransportException.class);
        assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.CONNECTION_RESET);
        assertThat(cluster.totalRequests("/v1/secret")).as("POSTs in the journal").isEqualTo(1);
    }

    @Test
    void underLoadEveryPostIsSentAtMostOnceAndReadsSucceedElsewhere() {
        cluster.node(0).reset();
        cluster.resetJournals();

        long t0 = System.nanoTime();
        List<HardeningSupport.Tracked> burst = HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("value-" + i));
        HardeningSupport.Result result = HardeningSupport.awaitAll(burst);
        System.out.printf("measured: active resets after the request, %d reads+writes: %s, burst took %d ms%n", IN_FLIGHT, result,
                HardeningSupport.millisSince(t0));

        Map<String, Long> postsByBody = cluster.nodes().stream().flatMap(n -> n.requests().stream())
                .filter(r -> r.method().equals("POST"))
                .collect(Collectors.groupingBy(RecordedRequest::bodyAsString, Collectors.counting()));
        assertThat(postsByBody.values()).as("each write's journal count: %s", postsByBody).allMatch(c -> c == 1);
        for (int i = 0; i < burst.size(); i++) {
            HardeningSupport.Tracked t = burst.get(i);
            if (i % 2 == 0) {
                assertThat(t.future).as("read %d", i).isCompletedWithValueMatching(r -> r.status() == 200);
            } else if (t.future.isCompletedExceptionally()) {
                Throwable e = t.future.handle((r, x) -> HardeningSupport.unwrap(x)).join();
                assertThat(e).isInstanceOfAny(VaultTransportException.class, NoAvailableNodeException.class);
                if (e instanceof VaultTransportException v) {
                    assertThat(v.kind().isBeforeSend()).as("a write failed after it may have been sent: %s", v).isFalse();
                }
            }
        }
        assertThat(result.count("VaultTransportException(CONNECTION_RESET)")).as("writes that met the reset").isPositive();
        HardeningSupport.assertQuiescent(pool);
        Map<Integer, Long> byStatus = result.responses().stream()
                .collect(Collectors.groupingBy(r -> r.status(), Collectors.counting()));
        assertThat(byStatus.keySet()).containsOnly(200);
    }
}
