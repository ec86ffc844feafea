package dev.vaultx.pool.bench;

import java.net.URI;
import java.util.List;

/**
 * One HTTP client under test: sends {@code GET /v1/secret/data/app} with the headers every Vault client
 * sends, {@code X-Vault-Token} and {@code X-Vault-Request: true} (the pool always sends the latter, so the
 * others do too: every client puts the same request on the wire), to the next node (round-robin over the nodes unless the client balances itself), reads
 * the whole body and reports the outcome. Implementations are thread-safe.
 */
public interface LoadClient extends AutoCloseable {

    String PATH = "/v1/secret/data/app";
    /** A token of the length and shape Vault issues (service token, 95 characters). */
    String TOKEN = "hvs.CAESIJlU9-bench-token-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS";

    /** Completion of one request; called exactly once, on any thread. */
    interface Done {
        /** @param node the index of the node that answered, or -1 if the client does not know */
        void completed(int status, int bodyBytes, int node);

        void failed(Throwable t);
    }

    void send(Done done);

    /** Hook run once the client is built and before the load starts (e.g. the pool's awaitReady). */
    default void ready() throws Exception {
    }

    @Override
    void close() throws Exception;

    /** Chooses the node for a request in turn; shared by the clients that do not balance themselves. */
    final class RoundRobin {
        private final URI[] nodes;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        public RoundRobin(List<URI> nodes) {
            this.nodes = nodes.toArray(new URI[0]);
        }

        public int nextIndex() {
            return (next.getAndIncrement() & Integer.MAX_VALUE) % nodes.length;
        }

        public URI node(int i) {
            return nodes[i];
        }

        public int size() {
            return nodes.length;
        }
    }

    /** Settings shared by every client: the same sizes for all. */
    /** @param caFile PEM file of the CA that signed https nodes' certificates, or {@code null} (plain http) */
    record Settings(List<URI> nodes, int concurrency, int ioThreads, String strategy, double poolRequestTimeoutSeconds,
                    double poolAttemptTimeoutSeconds, String caFile) {
        public Settings(List<URI> nodes, int concurrency, int ioThreads, String strategy) {
            this(nodes, concurrency, ioThreads, strategy, 0, 0, null);
        }

        /** Connections allowed per node: the whole concurrency, so that no client ever waits for a slot. */
        public int perNode() {
            return concurrency;
        }
    }

    static LoadClient create(String name, Settings s) throws Exception {
        switch (name) {
            case "pool":
                return new PoolLoadClient(s, false);
            case "pool-sized":
                return new PoolLoadClient(s, true);
            case "raw":
                return new RawAsyncLoadClient(s);
            case "raw-15":
                return new RawAsyncLoadClient(s, 15);
            case "jdk":
                return new JdkLoadClient(s);
            case "jetty":
                return new JettyLoadClient(s);
            case "okhttp":
                return new OkHttpLoadClient(s);
            default:
                throw new IllegalArgumentException("client: " + name + " (expected: pool, pool-sized, raw, raw-15, jdk, jetty, okhttp)");
        }
    }
}
