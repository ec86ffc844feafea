package dev.vaultx.pool.impl;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A token never leaks: not in {@code toString()} of anything the pool hands out, not in any exception
 * message (causes and suppressed included), not in the pool's log. Requests that succeed and requests
 * that fail (node stopped, deadline passed, 5xx, pool exhausted, pool closed) all carry the token.
 *
 * <p>The logs are checked in the file slf4j-simple writes for the test JVM
 * ({@code target/pool-test.log}, see {@code simplelogger.properties}): everything the pool logs, at
 * debug level and above, while this test ran.
 */
class TokenHygieneTest {

    private static final String TOKEN = "s.SECRET-TOKEN-123";
    private static final String SECRET_PART = "SECRET-TOKEN";

    private SimulatedVaultCluster cluster;
    private long logOffset;
    private final List<Object> seen = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        // slf4j-simple opens (and truncates) its file when the first logger is made: do that before measuring
        LoggerFactory.getLogger(TokenHygieneTest.class).debug("token hygiene test starts");
        logOffset = TestLogs.offset();
        cluster = SimulatedVaultCluster.start(2);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void tokenNeverAppearsInToStringsExceptionsOrLogs() throws IOException {
        PoolConfig config = TestPools.config(cluster).name("token-hygiene").size(1).maxOverflow(0).maxRetries(1)
                .borrowTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofMillis(800))
                .attemptTimeout(Duration.ofMillis(600)).healthCheckTimeout(Duration.ofMillis(300)).build();
        seen.add(config);
        AsyncHttpConnectionPool pool = TestPools.startReady(config, cluster);
        try {
            VaultRequest read = VaultRequest.get("/v1/secret/data/app").token(TOKEN).namespace("ns").build();
            VaultRequest viaHeader = VaultRequest.builder("POST", "/v1/secret/data/app")
                    .headers(Map.of("X-Vault-Token", TOKEN)).body("{\"data\":{\"k\":\"w\"}}").build();
            seen.add(read);
            seen.add(viaHeader);
            seen.add(read.toBuilder().build());

            // successes
            VaultResponse ok = pool.request(read);
            assertThat(ok.status()).isEqualTo(200);
            seen.add(ok);
            seen.add(ok.headers());
            seen.add(pool.request(viaHeader));
            seen.add(pool.request("GET", "/v1/secret/data/app", null, Map.of("X-Vault-Token", TOKEN), null));

            // a 5xx answer
            cluster.node(0).failWith(500, 2);
            seen.add(pool.request(read));

            // a lease and what fails on it
            try (PooledConnection c = pool.getConnection()) {
                seen.add(c);
                seen.add(c.execute(read));
                expectFailure(() -> pool.getConnection(Duration.ofMillis(100)));
                expectFailure(() -> pool.request(read)); // exhausted: the only connection of the active node is leased
                seen.add(c);
            }

            // the deadline passes on slow nodes
            cluster.nodes().forEach(n -> n.slow(Duration.ofSeconds(2)));
            expectFailure(() -> pool.request(read));
            expectFailure(() -> pool.request(viaHeader));
            cluster.nodes().forEach(n -> n.slow(Duration.ZERO));

            // the nodes stop: transport failures, then no node at all
            cluster.node(0).stop();
            cluster.node(1).stop();
            for (int i = 0; i < 3; i++) {
                expectFailure(() -> pool.request(read));
                expectFailure(() -> pool.request(viaHeader));
            }
            // the probes fail too (and log why)
            seen.add(pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join());
            CompletableFuture<VaultResponse> async = pool.requestAsync(read);
            expectFailure(() -> async.orTimeout(5, TimeUnit.SECONDS).join());

            seen.add(pool);
            seen.add(pool.stats());
            seen.add(pool.health());
            seen.add(pool.health().nodes());
        } finally {
            pool.close();
        }
        expectFailure(() -> pool.request(read()));
        seen.add(pool);

        assertThat(failures).as("failures provoked").hasSizeGreaterThanOrEqualTo(8);
        assertThat(failures).extracting(f -> f instanceof java.util.concurrent.CompletionException ? f.getCause() : f)
                .hasAtLeastOneElementOfType(PoolExhaustedException.class)
                .hasAtLeastOneElementOfType(RequestTimeoutException.class)
                .hasAtLeastOneElementOfType(VaultTransportException.class)
                .hasAtLeastOneElementOfType(PoolClosedException.class);
        for (Object o : seen) {
            assertThat(String.valueOf(o)).as("toString of %s", o.getClass().getSimpleName()).doesNotContain(SECRET_PART);
        }
        for (Throwable t : failures) {
            assertNoTokenIn(t);
        }
        String log = TestLogs.appendedSince(logOffset);
        assertThat(log).as("the pool logged while the test ran").contains("token-hygiene - started",
                "token-hygiene - health probe of");
        assertThat(log).doesNotContain(SECRET_PART);
    }

    @Test
    void rejectedTokenIsRedactedInTheBuilderMessage() {
        try {
            VaultRequest.get("/v1/x").token("s.SECRET-TOKEN 123");
            fail("a token with a space is rejected");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET_PART).contains("<redacted>");
        }
        try {
            VaultRequest.get("/v1/x").header("X-Vault-Token", "s.SECRET-TOKEN\r\n123");
            fail("a header value with CR LF is rejected");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain(SECRET_PART);
        }
    }

    private static VaultRequest read() {
        return VaultRequest.get("/v1/secret/data/app").token(TOKEN).build();
    }

    private void expectFailure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
            return;
        }
        fail("expected a failure");
    }

    private static void assertNoTokenIn(Throwable top) {
        List<Throwable> chain = new ArrayList<>();
        collect(top, chain);
        for (Throwable t : chain) {
            assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName()).doesNotContain(SECRET_PART);
            assertThat(t.toString()).doesNotContain(SECRET_PART);
            assertThat(String.valueOf(t.getLocalizedMessage())).doesNotContain(SECRET_PART);
        }
    }

    private static void collect(Throwable t, List<Throwable> into) {
        if (t == null || into.contains(t)) {
            return;
        }
        into.add(t);
        collect(t.getCause(), into);
        for (Throwable s : t.getSuppressed()) {
            collect(s, into);
        }
    }
}
