package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that answers every request twice: the proper response, then an extra, unsolicited one on the same
 * keep-alive connection. The extra response must never be taken for the answer to the next request sent on
 * that connection (which may be another caller's, with another token): each request gets the response to
 * its own path, or fails typed.
 */
@Timeout(60)
class DoubleResponseTest {

    private TinyServer server;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        server = TinyServer.start((request, raw, out) -> {
            TinyServer.respond(out, 200, "{\"path\":\"" + request.path() + "\"}");
            TinyServer.respond(out, 200, "{\"path\":\"/v1/smuggled\"}");
            return true;
        });
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(List.of(server.uri())).size(1).maxOverflow(0)
                .validateAfterInactivity(Duration.ZERO).build());
        pool.awaitReady(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, server);
    }

    /**
     * Finding for the HTTP layer ({@code HttpTransport}, core5's HTTP/1.1 client): when the extra response arrives
     * after the next request was written on the connection, it is parsed as that request's response (about 6 of
     * 40 requests here), and every later response on the connection is shifted by one. core5 detects the
     * unexpected data only while the connection sits idle in the reactor. HTTP/1.1 has no way to tell the two
     * apart; HTTP/2 (stream ids) has. The node is the trusted server itself, but "one node misbehaves" should not
     * mix up answers between callers: see the report.
     */
    @Test
    @org.junit.jupiter.api.Disabled("known: HTTP/1.1 response desync with a node that sends unsolicited responses (HttpTransport)")
    void anUnsolicitedResponseIsNeverTheAnswerToTheNextRequest() {
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
            } catch (dev.vaultx.pool.VaultPoolException e) {
                failed++;
            }
        }
        System.out.printf("measured: node answers twice: %d right answers, %d typed failures, %d wrong answers %s%n", ok, failed,
                wrong.size(), wrong.isEmpty() ? "" : wrong.subList(0, Math.min(3, wrong.size())));

        assertThat(wrong).as("responses handed to the wrong request").isEmpty();
        assertThat(ok).isPositive();
        HardeningSupport.assertQuiescent(pool);
    }
}
