package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.impl.testing.Pending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

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
 * are closed, not kept. The timeouts are asserted exactly on a fake ticker; the real-time runs show the same end to
 * end, with bounds only a stuck pool would miss.
 */
@Timeout(60)
class SlowlorisTest {

    private TinyServer server;
    private AsyncHttpConnectionPool pool;
    private final FakeTicker ticker = new FakeTicker();

    @BeforeEach
    void startServer() {
        server = TinyServer.start(SlowlorisTest::trickle);
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, server);
    }

    /**
     * Starts the pool on {@code clock}. Its probes trickle too: on the fake ticker they time out (and the pool is
     * ready) only once the ticker has passed {@code healthCheckTimeout}, so it is moved on that far first.
     */
    private void startPool(LongSupplier clock) {
        pool = AsyncHttpConnectionPool.builder(HardeningSupport.config(List.of(server.uri()))
                .circuitBreakerFailureThreshold(1000).circuitBreakerMinimumRequests(100_000).build()).ticker(clock).start();
        if (clock == ticker) {
            ticker.advance(pool.config().healthCheckTimeout());
        }
        pool.awaitReady(Duration.ofSeconds(5));
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

    /**
     * Moves the ticker to one nanosecond short of {@code timeout} (from when {@code exchange} was sent), checks the
     * exchange still waits, then moves it the last nanosecond.
     *
     * @return the exchange's failure
     */
    private Throwable failureAtExactly(Duration timeout, CompletableFuture<?> exchange) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.apiRequests().isEmpty());
        ticker.advance(timeout.minusNanos(1));
        Pending.staysPending(exchange);
        ticker.advanceNanos(1);
        return HardeningSupport.unwrap(exchange.handle((r, x) -> x).orTimeout(5, TimeUnit.SECONDS).join());
    }

    @Test
    void aWriteEndsExactlyAtItsAttemptTimeoutOnThePoolsTickerWithResponseTimeout() {
        startPool(ticker);

        Throwable e = failureAtExactly(ATTEMPT_TIMEOUT, pool.requestAsync(HardeningSupport.write("slow")));

        assertThat(e).isInstanceOf(VaultTransportException.class);
        assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.RESPONSE_TIMEOUT);
        assertThat(server.apiRequests()).hasSize(1);
    }

    /** End to end on the system ticker: the trickle is cut by the pool's own timer, not by the socket timeout. */
    @Test
    void aWriteEndsAtItsAttemptTimeoutWithResponseTimeout() {
        startPool(System::nanoTime);
        long t0 = System.nanoTime();
        Throwable e = HardeningSupport.unwrap(pool.requestAsync(HardeningSupport.write("slow")).handle((r, x) -> x).join());
        long took = HardeningSupport.millisSince(t0);
        System.out.printf("measured: write against a header trickle failed after %d ms (attemptTimeout %d ms) with %s%n", took,
                ATTEMPT_TIMEOUT.toMillis(), e);

        assertThat(e).isInstanceOf(VaultTransportException.class);
        assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.RESPONSE_TIMEOUT);
        // not before the timeout; after it only as late as a loaded machine makes it (the exact rule is the fake ticker's)
        assertThat(took).isBetween(ATTEMPT_TIMEOUT.toMillis() - 50, REQUEST_TIMEOUT.plus(SLACK).toMillis());
        assertThat(server.apiRequests()).hasSize(1);
    }

    @Test
    void aReadEndsExactlyAtItsDeadlineOnThePoolsTickerAfterRetriesThatAllTrickle() {
        startPool(ticker);

        Throwable e = failureAtExactly(REQUEST_TIMEOUT, pool.requestAsync(HardeningSupport.read()));

        assertThat(e).isInstanceOf(RequestTimeoutException.class);
        assertThat(e.getCause()).isInstanceOf(VaultTransportException.class);
    }

    @Test
    void anExchangeOnALeasedConnectionEndsExactlyAtItsAttemptTimeoutOnThePoolsTicker() {
        startPool(ticker);
        try (dev.vaultx.pool.PooledConnection c = pool.getConnection()) {
            Throwable e = failureAtExactly(ATTEMPT_TIMEOUT, c.executeAsync(HardeningSupport.read()));

            assertThat(e).isInstanceOf(VaultTransportException.class);
            assertThat(((VaultTransportException) e).kind()).isEqualTo(FailureKind.RESPONSE_TIMEOUT);
            assertThat(c.isOpen()).as("the connection is broken after a timed-out exchange").isFalse();
        }
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void anExchangeOnALeasedConnectionEndsExactlyAtTheRequestsOwnTimeoutWhenShorter() {
        startPool(ticker);
        Duration own = Duration.ofMillis(300);
        try (dev.vaultx.pool.PooledConnection c = pool.getConnection()) {
            Throwable e = failureAtExactly(own, c.executeAsync(HardeningSupport.read().toBuilder().timeout(own).build()));

            assertThat(e).isInstanceOf(VaultTransportException.class);
        }
        HardeningSupport.assertQuiescent(pool);
    }

    @Test
    void aBurstOfRequestsAllEndTypedWithinTheirDeadlinesAndNoTrickleStaysOpen() {
        startPool(System::nanoTime);
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
