package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
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
import java.util.List;

import static dev.vaultx.pool.impl.hardening.HardeningSupport.ATTEMPT_TIMEOUT;
import static dev.vaultx.pool.impl.hardening.HardeningSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.hardening.HardeningSupport.REQUEST_TIMEOUT;
import static dev.vaultx.pool.impl.hardening.HardeningSupport.SLACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slowloris: a node that starts a response and then sends one header byte every 100 ms, forever. Each
 * byte would reset a socket timeout, so only the pool's own per-try timer ends such a try: at
 * {@code attemptTimeout} for one try, at the request's deadline at the latest. The trickling connections
 * are closed, not kept.
 */
@Timeout(60)
class SlowlorisTest {

    private TinyServer server;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        server = TinyServer.start(SlowlorisTest::trickle);
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(List.of(server.uri()))
                .circuitBreakerFailureThreshold(1000).circuitBreakerMinimumRequests(100_000).build());
        pool.awaitReady(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, server);
    }

    private static boolean trickle(TinyServer.Request request, byte[] raw, OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (int i = 0; i < 600; i++) { // a minute at most
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            out.write('a');
            out.flush();
        }
        return false;
    }

    @Test
    void aWriteEndsAtItsAttemptTimeoutWithResponseTimeout() {
        long t0 = System.nanoTime();
        Throwable e = HardeningSupport.unwrap(pool.requestAsync(HardeningSupport.write("slow")).handle((r, x) -> x).join());
        long took = HardeningSupport.millisSince(t0);
        System.out.printf("measured: write against a header trickle failed after %d ms (attemptTimeout %d ms) with %s%n", took,
                ATTEMPT_TIMEOUT.toMillis(), e);

        assertThat(e).isInstanceOf(VaultTransportException.class);
        assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.RESPONSE_TIMEOUT);
        assertThat(took).isBetween(ATTEMPT_TIMEOUT.toMillis() - 50, ATTEMPT_TIMEOUT.plus(SLACK).toMillis());
        assertThat(server.apiRequests()).hasSize(1);
    }

    @Test
    void aReadEndsAtItsDeadlineAfterRetriesThatAllTrickle() {
        long t0 = System.nanoTime();
        Throwable e = HardeningSupport.unwrap(pool.requestAsync(HardeningSupport.read()).handle((r, x) -> x).join());
        long took = HardeningSupport.millisSince(t0);
        System.out.printf("measured: read against a header trickle failed after %d ms (deadline %d ms, %d tries) with %s%n", took,
                REQUEST_TIMEOUT.toMillis(), server.apiRequests().size(), e);

        // 4 tries of 800 ms do not fit in 3 s: the deadline ends the fourth
        assertThat(e).isInstanceOf(RequestTimeoutException.class);
        assertThat(e.getCause()).isInstanceOf(VaultTransportException.class);
        assertThat(took).isBetween(REQUEST_TIMEOUT.toMillis() - 50, REQUEST_TIMEOUT.plus(SLACK).toMillis());
    }

    @Test
    void anExchangeOnALeasedConnectionEndsAtItsAttemptTimeoutToo() {
        try (dev.vaultx.pool.PooledConnection c = pool.getConnection()) {
            long t0 = System.nanoTime();
            Throwable e = HardeningSupport.unwrap(c.executeAsync(HardeningSupport.read()).handle((r, x) -> x)
                    .orTimeout(REQUEST_TIMEOUT.plus(SLACK).toMillis() * 3, java.util.concurrent.TimeUnit.MILLISECONDS).join());
            long took = HardeningSupport.millisSince(t0);
            System.out.printf("measured: exchange on a leased connection against a header trickle failed after %d ms with %s%n",
                    took, e);

            assertThat(e).isInstanceOf(VaultTransportException.class);
            assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.RESPONSE_TIMEOUT);
            assertThat(took).isBetween(ATTEMPT_TIMEOUT.toMillis() - 50, ATTEMPT_TIMEOUT.plus(SLACK).toMillis());
            assertThat(c.isOpen()).as("the connection is broken after a timed-out exchange").isFalse();
        }
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void anExchangeOnALeasedConnectionEndsAtTheRequestsOwnTimeoutWhenShorter() {
        try (dev.vaultx.pool.PooledConnection c = pool.getConnection()) {
            long t0 = System.nanoTime();
            Throwable e = HardeningSupport.unwrap(c.executeAsync(HardeningSupport.read().toBuilder().timeout(Duration.ofMillis(300))
                    .build()).handle((r, x) -> x).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
            long took = HardeningSupport.millisSince(t0);

            assertThat(e).isInstanceOf(VaultTransportException.class);
            assertThat(took).isBetween(250L, 300 + SLACK.toMillis());
        }
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void aBurstOfRequestsAllEndTypedWithinTheirDeadlinesAndNoTrickleStaysOpen() {
        long t0 = System.nanoTime();
        HardeningSupport.Result result = HardeningSupport.awaitAll(HardeningSupport.burst(pool, IN_FLIGHT, i -> i % 4 == 0
                ? HardeningSupport.write("w" + i)
                : VaultRequest.get(HardeningSupport.SECRET).token(HardeningSupport.TOKEN).timeout(Duration.ofMillis(2000)).build()));
        System.out.printf("measured: %d requests against a header trickle: %s, burst took %d ms%n", IN_FLIGHT, result,
                HardeningSupport.millisSince(t0));

        assertThat(result.responses()).isEmpty();
        assertThat(result.failures()).hasSize(IN_FLIGHT).allSatisfy(e -> assertThat(e).isInstanceOfAny(
                VaultTransportException.class, RequestTimeoutException.class, PoolExhaustedException.class,
                NoAvailableNodeException.class));
        HardeningSupport.assertQuiescent(pool);
        // the pool closed the connections it gave up on; at most the probe's keep-alive connection stays
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.openConnections())
                .isLessThanOrEqualTo(pool.stats().totalConnections() + 1));
    }
}
