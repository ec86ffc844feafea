package dev.vaultx.pool.impl.internal;

import org.apache.hc.core5.http.nio.AsyncClientEndpoint;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One leased connection to one node. Releasing decides between keeping and closing it: a
 * connection is kept only if it is healthy, its node is not draining and no more than {@code size}
 * connections of that node were leased at the moment of release (so overflow connections close on
 * return). Releasing twice is harmless.
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
        int leasedBefore = node.leased.getAndDecrement();
        if (reusable && !node.draining && !runtime.isClosed() && leasedBefore <= runtime.size() && endpoint.isConnected()) {
            endpoint.releaseAndReuse();
        } else {
            endpoint.releaseAndDiscard();
            runtime.metrics.connectionDiscarded(node.index);
        }
        runtime.onRelease(node);
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
