package dev.vaultx.pool;

import java.net.URI;
import java.time.Duration;

/**
 * No connection could be had: either more than {@code maxPendingRequests} requests were already
 * waiting (rejected at once), or no connection became free within the borrow timeout. The message
 * carries the pool's state, e.g.
 * {@code vault - connection not available on http://127.0.0.1:8200, request timed out after 5001ms
 * (size=2, maxOverflow=1, total=3, active=3, idle=0, waiting=1)}.
 */
public class PoolExhaustedException extends VaultPoolException {

    private static final long serialVersionUID = 1L;

    private final transient URI node;
    private final Duration waited;

    /**
     * @param poolName the pool's name
     * @param node the node whose connections were exhausted, or {@code null} for the whole pool
     * @param waited how long the caller waited ({@link Duration#ZERO} for an immediate rejection)
     * @param message the message after the pool name, with the pool's state
     * @param cause the lease timeout from the connection manager, or {@code null}
     */
    public PoolExhaustedException(String poolName, URI node, Duration waited, String message, Throwable cause) {
        super(poolName, message, cause);
        this.node = node;
        this.waited = waited;
    }

    /** @return the node whose connections were exhausted, or {@code null} when the pool-wide pending limit was hit */
    public URI node() {
        return node;
    }

    /** @return how long the caller waited */
    public Duration waited() {
        return waited;
    }
}
