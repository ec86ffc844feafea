package dev.vaultx.pool.impl.internal;

import org.apache.hc.core5.http.nio.AsyncClientEndpoint;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One leased connection to one node. Releasing decides between keeping and closing it: a healthy
 * connection goes back to the pool (which hands it to the next request waiting for its node, if
 * any), overflow connections included. It is closed only if the exchange failed, its node is
 * draining, the pool is closing, or more than {@code size + maxOverflow} of the node's connections
 * were leased (the pool was shrunk while they were busy). Connections above {@code size} that are
 * no longer needed are closed by the idle maintenance after {@code overflowIdleTimeout}.
 * Releasing twice is harmless.
 *
 * <p>This class is thread-safe.
 */
final class ConnectionLease {

    private final PoolRuntime runtime;
    final NodeState node;
    final AsyncClientEndpoint endpoint;
    private static final AtomicIntegerFieldUpdater<ConnectionLease> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionLease.class, "released");

    private volatile int released;

    ConnectionLease(PoolRuntime runtime, NodeState node, AsyncClientEndpoint endpoint) {
        this.runtime = runtime;
        this.node = node;
        this.endpoint = endpoint;
    }

    /**
     * Returns the connection.
     *
     * @param reusable {@code false} after a failed or aborted exchange: the connection is closed
     * @return {@code true} if this call released it, {@code false} if it was already released
     */
    boolean release(boolean reusable) {
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            return false;
        }
        node.released(leasedBefore -> {
            if (leasedBefore > runtime.size()) {
                node.lastOverflowNanos = runtime.ticker.nanoTime(); // the overflow was in use until now
            }
            boolean keep = reusable && !node.draining && !runtime.isClosed() && leasedBefore <= runtime.maxPerNode()
                    && endpoint.isConnected();
            if (!keep) {
                runtime.metrics.connectionDiscarded(node.index);
            }
            runtime.transport.release(node, endpoint, keep); // to the next request waiting for the node, if any
        });
        return true;
    }

    /** Closes the connection now, failing any exchange on it (deadline passed). */
    void abort() {
        release(false);
    }

    boolean isReleased() {
        return released != 0;
    }
}
