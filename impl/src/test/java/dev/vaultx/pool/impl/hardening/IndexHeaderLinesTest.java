package dev.vaultx.pool.impl.hardening;

import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two raw servers on 127.0.0.1, an active node and a performance standby, whose writes answer {@code X-Vault-Index}
 * states that are neither newer than the other (one has the higher local index, the other the higher replicated
 * index): the pool keeps both, as Vault's Go client does, and a read on the standby carries each on its own header
 * line (what the Go client's {@code req.Header.Add} sends), not one value.
 */
@Timeout(60)
class IndexHeaderLinesTest {

    private static final String PERF_STANDBY_HEALTH = TinyServer.ACTIVE_HEALTH
            .replace("\"standby\":false", "\"standby\":true")
            .replace("\"performance_standby\":false", "\"performance_standby\":true");
    private static final String A = state(5, 1);
    private static final String B = state(4, 2);

    private TinyServer active;
    private TinyServer standby;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, active, standby);
    }

    @Test
    void standbyReadCarriesEachKeptStateOnItsOwnHeaderLine() {
        active = TinyServer.start((request, raw, out) -> {
            String index = request.path().endsWith("/a") ? A : B;
            TinyServer.respond(out, 200, "{}", "X-Vault-Index: " + index + "\r\n");
            return true;
        });
        List<String> standbyHeads = new CopyOnWriteArrayList<>();
        standby = TinyServer.start(PERF_STANDBY_HEALTH, (request, raw, out) -> {
            standbyHeads.add(new String(raw, StandardCharsets.ISO_8859_1));
            TinyServer.respond(out, 200, "{}");
            return true;
        });
        pool = AsyncHttpConnectionPool.start(HardeningSupport.config(List.of(active.uri(), standby.uri()))
                .readFromStandbys(true).readYourWrites(true).build());
        pool.awaitReady(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().nodes().stream().map(NodeHealth::role).toList()
                .equals(List.of(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY)));

        pool.request(write("/v1/secret/data/a"));
        pool.request(write("/v1/secret/data/b"));
        for (int i = 0; i < 40 && standbyHeads.isEmpty(); i++) {
            pool.request(VaultRequest.get("/v1/secret/data/a").token(HardeningSupport.TOKEN).build());
        }

        assertThat(standbyHeads).as("reads served by the performance standby").isNotEmpty();
        for (String head : standbyHeads) {
            assertThat(indexLines(head)).containsExactly(A.compareTo(B) < 0 ? A : B, A.compareTo(B) < 0 ? B : A);
        }
    }

    private static VaultRequest write(String path) {
        return VaultRequest.builder("POST", path).token(HardeningSupport.TOKEN).body("{\"data\":{}}").build();
    }

    /** @return the values of the {@code X-Vault-Index} lines of a raw request head, in order */
    private static List<String> indexLines(String head) {
        List<String> values = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("x-vault-index")) {
                values.add(line.substring(colon + 1).trim());
            }
        }
        return values;
    }

    /** @return a state of the TinyServer's cluster as Vault writes it */
    private static String state(long local, long replicated) {
        String plain = "v1:tiny-cluster:" + local + ":" + replicated + ":0a1b";
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
