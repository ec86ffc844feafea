package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response cut off in the middle of its body: a broken chunk (testkit {@code truncateBody()}) or fewer
 * bytes than the {@code Content-Length} promised before the connection closes. Never a half body handed
 * to the caller as a response; reads go elsewhere, writes fail typed.
 */
@Timeout(60)
class TruncatedBodyTest {

    private SimulatedVaultCluster cluster;
    private TinyServer server;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster, server);
    }

    @Test
    void aBrokenChunkOnTheActiveNodeSendsReadsElsewhereAndFailsWritesTyped() {
        cluster = HardeningSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(cluster.urls()).build());
        pool.awaitReady(Duration.ofSeconds(5));
        cluster.node(0).truncateBody();

        long t0 = System.nanoTime();
        List<HardeningSupport.Tracked> burst = HardeningSupport.burst(pool, IN_FLIGHT,
                i -> i % 2 == 0 ? HardeningSupport.read() : HardeningSupport.write("w" + i));
        HardeningSupport.Result result = HardeningSupport.awaitAll(burst);
        System.out.printf("measured: active cuts bodies (broken chunk): %s, burst took %d ms%n", result,
                HardeningSupport.millisSince(t0));

        for (int i = 0; i < burst.size(); i += 2) {
            assertThat(burst.get(i).future).as("read %d", i).isCompletedWithValueMatching(r -> r.status() == 200);
        }
        assertThat(result.failures()).allSatisfy(e -> {
            assertThat(e).isInstanceOf(VaultTransportException.class);
            assertThat(((VaultTransportException) e).kind().isBeforeSend()).isFalse();
        });
        assertThat(result.failures()).as("writes that met the cut bodies").isNotEmpty();
        HardeningSupport.assertQuiescent(pool);
        assertThat(pool.request(HardeningSupport.read()).status()).isEqualTo(200);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsATransportFailureNotAResponse() {
        server = TinyServer.start((request, raw, out) -> {
            cutOff(out);
            return false;
        });
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(List.of(server.uri())).maxRetries(1).build());
        pool.awaitReady(Duration.ofSeconds(5));

        long t0 = System.nanoTime();
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> HardeningSupport.read()));
        System.out.printf("measured: only node sends half the Content-Length then closes: %s, burst took %d ms%n", result,
                HardeningSupport.millisSince(t0));

        assertThat(result.responses()).as("no truncated body handed out as a response").isEmpty();
        assertThat(result.failures()).hasSize(IN_FLIGHT).allSatisfy(e -> assertThat(e)
                .isInstanceOfAny(VaultTransportException.class, dev.vaultx.pool.NoAvailableNodeException.class));
        assertThat(result.failures()).filteredOn(e -> e instanceof VaultTransportException)
                .allSatisfy(e -> assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.CONNECTION_RESET));
        HardeningSupport.assertQuiescent(pool);
    }

    private static void cutOff(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":{\"pass")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
