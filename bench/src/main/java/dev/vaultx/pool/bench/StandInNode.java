package dev.vaultx.pool.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Vault node stand-in on the JDK's HttpServer, bound to 127.0.0.1: the health endpoint answers
 * as the active node (200) or a standby (429) with Vault's JSON body, {@code /v1/secret/data/app}
 * returns the same ~400-byte KV v2 body as the nginx setup, optionally after a delay (the slow
 * node of the scale scenario: the exchange is answered later from a timer, holding no thread).
 * Used by the scale scenario and the build's smoke test; the throughput runs use nginx.
 */
public final class StandInNode implements AutoCloseable {

    static final String HEALTH_ACTIVE = "{\"initialized\":true,\"sealed\":false,\"standby\":false,\"performance_standby\":false,"
            + "\"replication_performance_mode\":\"disabled\",\"replication_dr_mode\":\"disabled\",\"server_time_utc\":1714564800,"
            + "\"version\":\"1.17.2\",\"enterprise\":false,\"cluster_name\":\"vault-cluster-bench\","
            + "\"cluster_id\":\"2f0b1a8e-6c3d-4e7f-9a1b-5c8d7e6f4a3b\",\"echo_duration_ms\":0,\"clock_skew_ms\":0}";
    static final String HEALTH_STANDBY = HEALTH_ACTIVE.replace("\"standby\":false", "\"standby\":true");
    static final byte[] KV_BODY = ("{\"request_id\":\"5f0a2c7e-1b1d-4c1e-9a57-3f2d8e1c6b4a\",\"lease_id\":\"\",\"renewable\":false,"
            + "\"lease_duration\":0,\"data\":{\"data\":{\"password\":\"s3cr3t-p4ssw0rd-for-the-bench\",\"username\":\"app\"},"
            + "\"metadata\":{\"created_time\":\"2024-05-01T12:00:00.000000Z\",\"custom_metadata\":null,\"deletion_time\":\"\","
            + "\"destroyed\":false,\"version\":3}},\"wrap_info\":null,\"warnings\":null,\"auth\":null,\"mount_type\":\"kv\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, daemon("stand-in-http"));
    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor(daemon("stand-in-delay"));
    private final boolean active;
    private final long delayMillis;

    /**
     * @param active answer the health probe as the active node, else as a standby
     * @param delayMillis how long {@code /v1/secret/...} takes to answer; 0 for at once
     */
    public StandInNode(boolean active, long delayMillis) throws IOException {
        this.active = active;
        this.delayMillis = delayMillis;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/v1/sys/health")) {
            respond(ex, active ? 200 : 429, (active ? HEALTH_ACTIVE : HEALTH_STANDBY).getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith("/v1/secret/")) {
            if (delayMillis > 0) {
                delayer.schedule(() -> respond(ex, 200, KV_BODY), delayMillis, TimeUnit.MILLISECONDS);
            } else {
                respond(ex, 200, KV_BODY);
            }
        } else {
            respond(ex, 404, "{\"errors\":[]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange ex, int status, byte[] body) {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        } catch (IOException closedByClient) {
            // the client gave up
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        delayer.shutdownNow();
    }
}
