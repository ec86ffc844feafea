package dev.vaultx.pool;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of warm HTTP connections to every node of one Vault (or OpenBao) cluster, which sends each
 * request to the node that should serve it, fails over when a node fails, and reports statistics
 * and health. The contract is that of Vaultx's {@code Transport.Pool}.
 *
 * <pre>{@code
 * PoolConfig config = PoolConfig.builder()
 *         .nodes("https://vault-1:8200", "https://vault-2:8200", "https://vault-3:8200")
 *         .build();
 * try (ConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
 *     VaultResponse r = pool.request(VaultRequest.get("/v1/secret/data/app").token(token).build());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface ConnectionPool extends AutoCloseable {

    /** @return the pool's name, from {@link PoolConfig#name()} */
    String name();

    /** @return the configuration the pool was started with (sizes as configured, before any {@link PoolControl#resize}) */
    PoolConfig config();

    /**
     * Sends a request to the node that should serve it, without blocking the caller.
     *
     * <p>The future completes with the response (any HTTP status the server sent once retries are
     * exhausted) or fails, always within the request's deadline, with:
     * {@link PoolClosedException} if the pool is closed; {@link PoolExhaustedException} if more than
     * {@code maxPendingRequests} are waiting (at once) or no connection became free within
     * {@code borrowTimeout}; {@link NoAvailableNodeException} if no node can serve;
     * {@link RequestTimeoutException} when the deadline passes; {@link VaultTransportException} for a
     * network failure that retries could not overcome.
     *
     * @param request the request
     * @return the response future; cancelling it abandons the request
     */
    CompletableFuture<VaultResponse> requestAsync(VaultRequest request);

    /**
     * Blocking form of {@link #requestAsync(VaultRequest)}.
     *
     * @throws VaultPoolException (one of the subtypes listed there)
     */
    VaultResponse request(VaultRequest request);

    /**
     * The seed's five-argument form.
     *
     * @param method the HTTP method
     * @param path the path starting with {@code /}
     * @param body the body, or {@code null}
     * @param headers headers, {@code X-Vault-Token} and {@code X-Vault-Namespace} included; or {@code null}
     * @param timeout the overall deadline, or {@code null} for the pool's {@code requestTimeout}
     * @return the response
     * @throws VaultPoolException as {@link #request(VaultRequest)}
     */
    default VaultResponse request(String method, String path, byte[] body, Map<String, String> headers, Duration timeout) {
        return request(VaultRequest.builder(method, path).body(body).headers(headers).timeout(timeout).build());
    }

    /**
     * Leases one connection to one node chosen by the balancer.
     *
     * @param timeout how long to wait for a free connection; not negative
     * @return the lease; close it to return the connection
     * @throws PoolExhaustedException if no connection became free in time
     * @throws NoAvailableNodeException if no node can serve
     * @throws PoolClosedException if the pool is closed
     */
    PooledConnection getConnection(Duration timeout);

    /** Leases a connection, waiting at most {@link PoolConfig#borrowTimeout()}. */
    default PooledConnection getConnection() {
        return getConnection(config().borrowTimeout());
    }

    /**
     * Returns a leased connection; the same as {@link PooledConnection#close()}. Returning twice, or
     * after the pool closed, is harmless.
     */
    default void returnConnection(PooledConnection connection) {
        connection.close();
    }

    /** @return a snapshot of the statistics */
    PoolStats stats();

    /** @return a snapshot of the health */
    PoolHealth health();

    /** @return runtime control of this pool (resize, drain, resume, ...) */
    PoolControl control();

    /**
     * Registers a listener of role and breaker changes.
     *
     * @return a handle; closing it removes the listener
     */
    AutoCloseable addListener(PoolListener listener);

    /** @return {@code true} once {@link #close()} was called */
    boolean isClosed();

    /**
     * Stops taking work (new requests fail with {@link PoolClosedException}), lets requests in flight
     * finish within {@link PoolConfig#shutdownTimeout()}, then closes every connection and thread.
     * Idempotent.
     */
    @Override
    void close();
}
