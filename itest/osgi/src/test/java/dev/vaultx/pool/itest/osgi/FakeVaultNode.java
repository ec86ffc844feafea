package dev.vaultx.pool.itest.osgi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Vault node on 127.0.0.1 for the tests inside the framework: a JDK {@link HttpServer}
 * (the testkit's WireMock is not a bundle) that answers {@code GET /v1/sys/health} as an active or
 * standby node of one cluster and serves the KV v2 secret {@code secret/app} = {@code {"k":"v"}};
 * anything else is a 404. Counts requests per path. Thread-safe.
 */
final class FakeVaultNode implements AutoCloseable {

    static final String SECRET_PATH = "/v1/secret/data/app";
    private static final String CLUSTER_ID = "c0ffee00-0000-4000-8000-00000000051a";

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean standby;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    private FakeVaultNode(boolean standby) throws IOException {
        this.standby = standby;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-vault-" + (standby ? "standby" : "active"));
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** @param standby {@code true} for a standby, {@code false} for the active node */
    static FakeVaultNode start(boolean standby) throws IOException {
        return new FakeVaultNode(standby);
    }

    /** @return {@code http://127.0.0.1:<port>} */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @return how many requests this node got for the path (without the query) */
    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (path.equals("/v1/sys/health")) {
                // the pool remaps every non-active state to 299 and reads the role from the body
                respond(exchange, standby ? 299 : 200, health());
            } else if (path.equals(SECRET_PATH) && exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 200, "{\"request_id\":\"1\",\"data\":{\"data\":{\"k\":\"v\"},\"metadata\":{\"version\":1}}}");
            } else {
                respond(exchange, 404, "{\"errors\":[]}");
            }
        }
    }

    private String health() {
        return "{\"initialized\":true,\"sealed\":false,\"standby\":" + standby + ",\"performance_standby\":false,"
                + "\"replication_performance_mode\":\"disabled\",\"replication_dr_mode\":\"disabled\","
                + "\"server_time_utc\":" + Instant.now().getEpochSecond() + ",\"version\":\"1.17.0\","
                + "\"cluster_name\":\"vault-cluster-osgi\",\"cluster_id\":\"" + CLUSTER_ID + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
