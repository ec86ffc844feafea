package dev.vaultx.pool.impl.hardening;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.TestLogs;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Vault token never appears in anything the pool emits, whatever the servers do: a scenario with a known
 * token (successes, 4xx/5xx, 429, redirects followed and refused, deadlines, exhaustion, sealed and stopped
 * nodes, leases, close), plus a hostile server that sends the request back as its response. Scanned: the
 * pool's log at debug level, standard out and err, {@code toString()} of every public object, statistics,
 * health, listener events, exception messages with their causes and stack traces, metric names and gauge
 * values. The redirect target that is not a configured node never receives the token.
 *
 * <p>JMX attributes and notifications are scanned by {@code SecretsInJmxTest} in the jmx module (which
 * depends on impl, so impl's tests cannot depend on it).
 */
@Timeout(90)
class SecretsTest {

    private static final String TOKEN = "s.SECRET-TOKEN-hardening-7f3a9";
    private static final String SECRET_PART = "SECRET-TOKEN-hardening";

    private SimulatedVaultCluster cluster;
    private TinyServer elsewhere;
    private TinyServer echo;
    private long logOffset;
    private final List<Object> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void start() throws IOException {
        LoggerFactory.getLogger(SecretsTest.class).debug("secrets test starts");
        logOffset = TestLogs.offset();
        cluster = HardeningSupport.cluster(3);
        elsewhere = TinyServer.start((r, raw, o) -> {
            TinyServer.respond(o, 200, "{\"data\":{}}");
            return true;
        });
        // a hostile server that sends back what it got, on one line where a status line should be
        echo = TinyServer.start((r, raw, o) -> {
            String line = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", " ");
            o.write(("ECHO " + line + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return false;
        });
        out = System.out;
        err = System.err;
        PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new Tee(out, tee), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, tee), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(out);
        System.setErr(err);
        cluster.close();
        elsewhere.close();
        echo.close();
    }

    @Test
    void theTokenAppearsNowhereThePoolWritesWhateverTheServersDo() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        PoolConfig config = HardeningSupport.config(cluster.urls()).name("secrets").size(1).maxOverflow(0).maxRetries(1)
                .maxPendingRequests(2).borrowTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofMillis(1500))
                .attemptTimeout(Duration.ofMillis(500)).healthCheckTimeout(Duration.ofMillis(400)).namespace("team-a").build();
        seen.add(config);
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start();
        seen.add(pool);
        AutoCloseable listener = pool.addListener(new PoolListener() {
            @Override
            public void onRoleChange(String p, URI node, NodeRole from, NodeRole to) {
                seen.add(p + node + from + to);
            }

            @Override
            public void onCircuitStateChange(String p, URI node, CircuitState from, CircuitState to) {
                seen.add(p + node + from + to);
            }
        });
        pool.awaitReady(Duration.ofSeconds(5));
        try {
            VaultRequest read = VaultRequest.get(HardeningSupport.SECRET).token(TOKEN).build();
            VaultRequest write = VaultRequest.builder("POST", HardeningSupport.SECRET).token(TOKEN)
                    .body("{\"data\":{\"k\":\"v\"}}").build();
            VaultRequest viaHeader = VaultRequest.builder("GET", HardeningSupport.SECRET)
                    .headers(Map.of("X-Vault-Token", TOKEN)).build();
            seen.add(read);
            seen.add(write);
            seen.add(viaHeader);
            seen.add(read.toBuilder());

            // successes, three ways of passing the token
            answer(() -> pool.request(read));
            answer(() -> pool.request(write));
            answer(() -> pool.request(viaHeader));
            answer(() -> pool.request("GET", HardeningSupport.SECRET, null, Map.of("X-Vault-Token", TOKEN), null));
            settle(pool.requestAsync(read.toBuilder().timeout(Duration.ofNanos(1)).build()));

            // answers that are errors
            cluster.node(0).failWith(403, 1);
            answer(() -> pool.request(read));
            cluster.node(0).failWith(500, 3);
            settle(pool.requestAsync(read));
            settle(pool.requestAsync(write));
            cluster.node(0).rateLimit(2, "0");
            answer(() -> pool.request(read));
            cluster.node(0).failWith(412, 2);
            answer(() -> pool.request(read));
            cluster.clearFaults();

            // a redirect followed, and one to a host that is not a node (handed back, token not sent there)
            cluster.node(0).redirectTo(cluster.node(1).uri());
            answer(() -> pool.request(read));
            cluster.node(0).redirectTo(elsewhere.uri());
            cluster.node(1).redirectTo(elsewhere.uri());
            cluster.node(2).redirectTo(elsewhere.uri());
            answer(() -> pool.request(read));
            answer(() -> pool.request(write));
            cluster.clearFaults();

            // a lease, exhaustion while it is held, pending limit
            try (PooledConnection c = pool.getConnection()) {
                seen.add(c);
                answer(() -> c.execute(read));
                try (PooledConnection second = pool.getConnection(Duration.ofMillis(50))) {
                    seen.add(second); // another node had a free connection
                } catch (RuntimeException exhausted) {
                    failures.add(exhausted);
                }
                List<CompletableFuture<VaultResponse>> queued = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    queued.add(pool.requestAsync(read));
                }
                queued.forEach(this::settle);
                seen.add(c);
            }

            // deadlines: slow and blackholed nodes
            cluster.nodes().forEach(n -> n.slow(Duration.ofSeconds(2)));
            settle(pool.requestAsync(read));
            settle(pool.requestAsync(write));
            cluster.nodes().forEach(n -> n.slow(Duration.ZERO));
            cluster.nodes().forEach(n -> n.blackhole());
            settle(pool.requestAsync(write));
            cluster.clearFaults();

            // health changes: a sealed node, a reset, a stopped node, garbage
            cluster.node(2).seal();
            seen.add(pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join());
            cluster.node(0).reset();
            settle(pool.requestAsync(write));
            settle(pool.requestAsync(read));
            cluster.node(0).clearFaults();
            cluster.node(1).garbage();
            settle(pool.requestAsync(viaHeader));
            cluster.node(1).clearFaults();
            cluster.node(0).stop();
            cluster.node(1).stop();
            for (int i = 0; i < 4; i++) {
                settle(pool.requestAsync(read));
                settle(pool.requestAsync(write));
            }
            seen.add(pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join());
            cluster.node(0).start();
            cluster.node(1).start();
            cluster.node(2).unseal();

            seen.add(pool.stats());
            seen.add(pool.stats().nodes());
            seen.add(pool.health());
            seen.add(pool.health().nodes());
            seen.add(registry.getNames());
            registry.getGauges().forEach((name, gauge) -> seen.add(name + "=" + gauge.getValue()));
            registry.getMeters().forEach((name, meter) -> seen.add(name + "=" + meter.getCount()));
        } finally {
            listener.close();
            pool.close();
        }
        fail(() -> pool.request(VaultRequest.get(HardeningSupport.SECRET).token(TOKEN).build()));
        seen.add(pool);

        // a server that sends the request back: whatever it quotes must not come back in a message
        PoolConfig echoConfig = HardeningSupport.config(List.of(echo.uri())).name("secrets-echo").maxRetries(0).build();
        try (AsyncHttpConnectionPool echoPool = AsyncHttpConnectionPool.start(echoConfig)) {
            echoPool.awaitReady(Duration.ofSeconds(5));
            for (int i = 0; i < 3; i++) {
                settle(echoPool.requestAsync(VaultRequest.get(HardeningSupport.SECRET).token(TOKEN).build()));
            }
            try (PooledConnection c = echoPool.getConnection()) {
                fail(() -> c.execute(VaultRequest.get(HardeningSupport.SECRET).token(TOKEN).build()));
            }
            seen.add(echoPool.health());
            seen.add(echoPool.stats());
        }

        assertThat(echo.apiRequests()).as("the echo server got the token (so the scenario is real)")
                .anySatisfy(r -> assertThat(r.headers().get("x-vault-token")).isEqualTo(TOKEN));
        assertThat(elsewhere.apiRequests()).as("requests (with the token) sent to a host that is not a node").isEmpty();
        assertThat(failures).as("failures provoked").hasSizeGreaterThanOrEqualTo(10);
        for (Object o : new ArrayList<>(seen)) {
            assertThat(String.valueOf(o)).as("toString of a %s", o == null ? null : o.getClass().getSimpleName())
                    .doesNotContain(SECRET_PART);
        }
        for (Throwable t : new ArrayList<>(failures)) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).as("stack trace of %s", t).doesNotContain(SECRET_PART);
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET_PART);
                assertThat(String.valueOf(c.getLocalizedMessage())).doesNotContain(SECRET_PART);
            }
        }
        assertThat(registry.getNames()).as("metrics are removed on close").isEmpty();
        String log = TestLogs.appendedSince(logOffset);
        assertThat(log).as("the pool logged at debug while the test ran").contains("secrets - started", "secrets - health probe of");
        assertThat(log).doesNotContain(SECRET_PART);
        System.out.flush();
        System.err.flush();
        assertThat(console.toString(StandardCharsets.UTF_8)).as("standard out and err").doesNotContain(SECRET_PART);
    }

    /** Runs a call expected to answer; a failure (the scenario's timing on a busy machine) is scanned all the same. */
    private void answer(Supplier<VaultResponse> call) {
        try {
            VaultResponse r = call.get();
            seen.add(r);
            seen.add(r.headers());
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private void fail(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            failures.add(e);
            return;
        }
        throw new AssertionError("expected a failure");
    }

    private void settle(CompletableFuture<VaultResponse> f) {
        try {
            VaultResponse r = f.get(10, TimeUnit.SECONDS);
            seen.add(r);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            failures.add(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
