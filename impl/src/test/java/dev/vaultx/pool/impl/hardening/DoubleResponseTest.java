package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that answers a request twice: the proper response, then an extra, unsolicited one on the same
 * keep-alive connection. The extra response must never be taken for the answer to the next request sent on
 * that connection (which may be another caller's, with another token): each request gets the response to
 * its own path, or fails typed; a request that failed unsent is retried. On HTTP/1.1 the pool can keep this
 * promise only for an extra response that arrives before the next request is written (see the disabled test).
 */
@Timeout(60)
class DoubleResponseTest {

    private TinyServer server;
    private AsyncHttpConnectionPool pool;

    /** Starts the node and a pool with one connection to it (so that every request waits for the same one). */
    private void start(TinyServer.Handler node, UnaryOperator<PoolConfigBuilder> options) {
        server = TinyServer.start(node);
        pool = AsyncHttpConnectionPool.start(options.apply(HardeningSupport.config(List.of(server.uri())).size(1).maxOverflow(0)
                .validateAfterInactivity(Duration.ZERO)).build());
        pool.awaitReady(Duration.ofSeconds(5));
    }

    /**
     * @param extra whether this request also gets the extra response
     * @return a node that answers with the request's path and, when asked, the extra response, in one write (so one
     *         segment on loopback)
     */
    private static TinyServer.Handler oneWrite(BooleanSupplier extra) {
        return (request, raw, out) -> {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            TinyServer.respond(both, 200, "{\"path\":\"" + request.path() + "\"}");
            if (extra.getAsBoolean()) {
                TinyServer.respond(both, 200, "{\"path\":\"/v1/smuggled\"}");
            }
            out.write(both.toByteArray());
            return true;
        };
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, server);
    }

    /**
     * Finding for the HTTP layer ({@code HttpTransport}, core5's HTTP/1.1 client), which the pool cannot close on
     * HTTP/1.1 (issue #15 item 7; measured again here: 1 to 4 of 40 answers were the smuggled one). HTTP/1.1 matches
     * responses to requests by order alone: httpcore5 5.4.x {@code ClientHttp1StreamDuplexer.handleIncomingMessage}
     * hands every parsed response head to {@code pipeline.poll()}, the oldest request written on the connection, and
     * throws {@code HttpException("Unexpected response")} (failing the connection) only when no request is
     * outstanding. {@code AbstractHttp1StreamDuplexer.onInput} parses on, after a response, whatever is left in the
     * input buffer, and {@code InternalDataChannel.onIOEvent} handles input before output: so an extra response head
     * the reactor has read before it writes the next request fails the connection (a request queued on it fails
     * typed, unsent, and is retried). The hole is an extra response that arrives later (or of which only part had
     * arrived): it is then, byte for byte, what a fast answer to the next request looks like, and no check before
     * reuse (unread bytes, a stale check, a quiet period) can tell them apart, since the server may send it at any
     * time; each such check only narrows the window, so it would make this test pass by chance. Sound remedies are
     * below the pool: HTTP/2 ({@code httpVersion(HTTP_2)} on https nodes: every response carries its stream id, and a
     * HEADERS frame for a stream with no open request is a connection error in core5, {@code
     * AbstractH2StreamMultiplexer.consumeFrame} and {@code ClientH2StreamMultiplexer.acceptHeaderFrame}), or no
     * connection reuse. See the README, "Unsolicited responses".
     */
    @Test
    @Disabled("HTTP/1.1 has no request ids: an unsolicited response that arrives after the next request was"
            + " written is indistinguishable from its answer (core5 ClientHttp1StreamDuplexer.handleIncomingMessage pairs by"
            + " order); use httpVersion(HTTP_2) on https nodes. See the Javadoc and the README")
    void anUnsolicitedResponseIsNeverTheAnswerToTheNextRequest() {
        start((request, raw, out) -> {
            TinyServer.respond(out, 200, "{\"path\":\"" + request.path() + "\"}");
            TinyServer.respond(out, 200, "{\"path\":\"/v1/smuggled\"}");
            return true;
        }, b -> b);
        List<String> wrong = new ArrayList<>();
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < 40; i++) {
            String path = "/v1/secret/data/app" + i;
            try {
                VaultResponse r = pool.request(HardeningSupport.read(path));
                String body = new String(r.body(), StandardCharsets.UTF_8);
                if (body.contains("\"" + path + "\"")) {
                    ok++;
                } else {
                    wrong.add(path + " got " + body);
                }
            } catch (VaultPoolException e) {
                failed++;
            }
        }
        System.out.printf("measured: node answers twice: %d right answers, %d typed failures, %d wrong answers %s%n", ok, failed,
                wrong.size(), wrong.isEmpty() ? "" : wrong.subList(0, Math.min(3, wrong.size())));

        assertThat(wrong).as("responses handed to the wrong request").isEmpty();
        assertThat(ok).isPositive();
        HardeningSupport.assertQuiescent(pool);
    }

    /**
     * The part of the finding core5 does close, pinned so it stays closed: an extra response that reaches the client
     * together with the answer (one write, so one segment on loopback) is parsed right after it and fails the
     * connection. With 32 requests queued on one connection, the next request may already have been handed the
     * connection; it then fails typed ({@code PROTOCOL_ERROR}, against the node) before it is written, and is retried
     * on a fresh connection until the node's breaker opens (measured: 21-22 of 32 failed typed, 0 wrong). Nobody gets the
     * extra response. This guards core5's behaviour; it passed before issue #15 too.
     */
    @Test
    void anExtraResponseArrivingWithTheAnswerIsNeverAnotherRequestsAnswer() throws Exception {
        start(oneWrite(() -> true), b -> b.maxRetries(8).retryBudgetMinPerSecond(1000));

        List<CompletableFuture<VaultResponse>> all = new ArrayList<>();
        for (int i = 0; i < HardeningSupport.IN_FLIGHT; i++) {
            all.add(pool.requestAsync(HardeningSupport.read("/v1/secret/data/app" + i)));
        }
        List<String> wrong = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String path = "/v1/secret/data/app" + i;
            try {
                String body = all.get(i).get(30, TimeUnit.SECONDS).bodyAsString();
                if (!body.contains("\"" + path + "\"")) {
                    wrong.add(path + " got " + body);
                }
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(VaultPoolException.class);
                failures.add(e.getCause().getMessage());
            }
        }
        System.out.printf("measured: answer and extra response in one segment: %d requests, %d failed typed %s, %d wrong%n",
                all.size(), failures.size(), failures.isEmpty() ? "" : failures.subList(0, 1), wrong.size());

        assertThat(wrong).as("responses handed to the wrong request").isEmpty();
        HardeningSupport.assertQuiescent(pool);
    }

    /**
     * A write queued on the connection behind an extra response (the node answers its first request twice, in one
     * segment) fails before its head is handed to the connection: provably unsent, so it is retried on a fresh
     * connection, like a write whose connection could not be opened. Every write then completes with its own answer,
     * and the node receives each exactly once. Before, the unsent write failed with {@code PROTOCOL_ERROR} and was not
     * retried (writes are retried only when they provably never left).
     */
    @Test
    void anUnsentWriteBehindAnExtraResponseIsRetriedOnAFreshConnection() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        start(oneWrite(() -> first.getAndSet(false)), b -> b);

        List<CompletableFuture<VaultResponse>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(pool.requestAsync(VaultRequest.builder("POST", "/v1/secret/data/w" + i)
                    .token(HardeningSupport.TOKEN).body("{\"data\":{}}").build()));
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).get(30, TimeUnit.SECONDS).bodyAsString())
                    .contains("\"/v1/secret/data/w" + i + "\"");
        }
        assertThat(server.apiRequests()).extracting(TinyServer.Request::path).as("each write received once")
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 8).mapToObj(i -> "/v1/secret/data/w" + i).toList());
        HardeningSupport.assertQuiescent(pool);
    }
}
