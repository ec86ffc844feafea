package dev.vaultx.pool;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * A lease on one HTTP connection to one node, obtained from {@link ConnectionPool#getConnection(java.time.Duration)}.
 *
 * <p>Requests executed through a lease go to its node only: no balancing, no retries, no redirect
 * following. Close the lease (or hand it to {@link ConnectionPool#returnConnection(PooledConnection)})
 * when done; closing twice is harmless. A connection above the pool's {@code size} is closed on
 * return instead of being kept idle.
 *
 * <pre>{@code
 * try (PooledConnection c = pool.getConnection(Duration.ofSeconds(2))) {
 *     VaultResponse r = c.execute(VaultRequest.get("/v1/sys/leader").build());
 * }
 * }</pre>
 *
 * <p>This interface is thread-safe, but a connection carries one exchange at a time: a second
 * {@code execute} before the first completes fails with {@link IllegalStateException}.
 */
public interface PooledConnection extends AutoCloseable {

    /** @return the base URI of the node this connection goes to, e.g. {@code http://127.0.0.1:8200} */
    URI node();

    /** @return {@code true} while the lease is held and the connection is usable */
    boolean isOpen();

    /**
     * Sends one request on this connection.
     *
     * @param request the request; its path is resolved against {@link #node()}
     * @return the response, or a future failed with a {@link VaultPoolException}
     * @throws IllegalStateException if the lease was returned or an exchange is in progress
     */
    CompletableFuture<VaultResponse> executeAsync(VaultRequest request);

    /**
     * Blocking form of {@link #executeAsync(VaultRequest)}.
     *
     * @throws VaultPoolException on a transport failure or timeout
     */
    VaultResponse execute(VaultRequest request);

    /** Returns the connection to the pool. Idempotent. */
    @Override
    void close();
}
