package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body larger than {@code maxResponseBytes}, announced by its {@code Content-Length} or streamed in
 * chunks without one: the request fails with {@code RESPONSE_TOO_LARGE} at once (no retry: every node
 * would send the same secret), the connection is discarded, nothing is buffered beyond the limit. A body
 * of exactly the limit is a response.
 */
@Timeout(60)
class OversizedResponseTest {

    private static final int LIMIT = 64 * 1024;
    private static final int HUGE = 4 * 1024 * 1024;

    private TinyServer server;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        server = TinyServer.start(OversizedResponseTest::answer);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(List.of(server.uri())).maxResponseBytes(LIMIT).build());
        pool.awaitReady(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, server);
    }

    /** {@code /v1/declared/N}: N bytes with a Content-Length; {@code /v1/chunked/N}: N bytes in 8 KiB chunks. */
    private static boolean answer(TinyServer.Request request, byte[] raw, OutputStream out) throws IOException {
        String[] parts = request.path().split("/");
        int size = Integer.parseInt(parts[3]);
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 'x');
        if (parts[2].equals("declared")) {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, size - sent));
            }
        } else {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < size; sent += chunk.length) {
                int n = Math.min(chunk.length, size - sent);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return true;
    }

    @Test
    void aDeclaredBodyOverTheLimitFailsEachRequestOnceWithResponseTooLarge() {
        assertTooLarge("/v1/declared/" + HUGE);
    }

    @Test
    void aChunkedBodyOverTheLimitFailsEachRequestOnceWithResponseTooLarge() {
        assertTooLarge("/v1/chunked/" + HUGE);
    }

    @Test
    void aBodyOfExactlyTheLimitIsAResponse() {
        assertThat(pool.request(HardeningSupport.read("/v1/declared/" + LIMIT)).body()).hasSize(LIMIT);
        assertThat(pool.request(HardeningSupport.read("/v1/chunked/" + LIMIT)).body()).hasSize(LIMIT);
        HardeningSupport.assertQuiescent(pool);
    }

    private void assertTooLarge(String path) {
        long t0 = System.nanoTime();
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT,
                i -> HardeningSupport.read(path)));
        System.out.printf("measured: %s (limit %d): %s, burst took %d ms%n", path, LIMIT, result, HardeningSupport.millisSince(t0));

        assertThat(result.failures()).hasSize(IN_FLIGHT).allSatisfy(e -> {
            assertThat(e).isInstanceOf(VaultTransportException.class);
            assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.RESPONSE_TOO_LARGE);
            assertThat(e.getMessage()).contains("maxResponseBytes " + LIMIT);
        });
        assertThat(server.apiRequests()).as("each request sent once, not retried").hasSize(IN_FLIGHT);
        HardeningSupport.assertQuiescent(pool);
        // the node itself is fine: a small answer still comes through
        assertThat(pool.request(HardeningSupport.read("/v1/declared/10")).status()).isEqualTo(200);
    }
}
