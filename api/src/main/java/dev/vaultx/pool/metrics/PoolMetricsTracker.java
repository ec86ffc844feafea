package dev.vaultx.pool.metrics;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.FailureKind;

/**
 * Receives one pool's events as they happen, to record them in a metrics library (HikariCP's
 * {@code IMetricsTracker}). Made by a {@link PoolMetricsTrackerFactory}; every method has a default that does
 * nothing, so an implementation overrides only what it records. Nodes are named by their index in
 * {@code pool.config().nodes()}, so that a tracker can keep its per-node meters in an array.
 *
 * <p><b>Threading and cost.</b> Implementations must be thread-safe: the methods are called concurrently, on the
 * pool's I/O threads and on the thread that ends requests at their deadline, in the middle of the request path.
 * They must be cheap (a counter or timer update, no I/O, no lock held for long, no blocking) and must not throw.
 * A tracker that throws anyway does not break the request: the pool catches what it throws, logs the first
 * failure of each tracker, and carries on.
 *
 * <p>The pool calls {@link #close()} once, when it closes or when the tracker is detached; a tracker removes
 * there whatever it registered. Events may still arrive during and after {@code close()} (a request completing
 * as the pool closes); they must not register anything again.
 *
 * @since 0.2.0
 */
public interface PoolMetricsTracker extends AutoCloseable {

    /**
     * A request completed: once per request, however many tries it took.
     *
     * @param nanos from the pool's acceptance of the request to its completion, retries included
     * @param outcome how it ended
     * @param kind the transport failure when {@code outcome} is {@link RequestOutcome#TRANSPORT}, else {@code null}
     */
    default void requestCompleted(long nanos, RequestOutcome outcome, FailureKind kind) {
    }

    /**
     * A try of a request on a node completed (a retried request has several).
     *
     * @param node the node's index
     * @param nanos from sending to the outcome, or -1 if the try never got a connection
     * @param failed {@code true} if the try counted against the node (a transport failure or a 5xx)
     */
    default void tryCompleted(int node, long nanos, boolean failed) {
    }

    /**
     * A try waited this long for a connection (leased or not).
     *
     * @param nanos the wait
     */
    default void leaseWaited(long nanos) {
    }

    /** A retry was sent (on the same node or another). */
    default void retried() {
    }

    /** A retry was refused by the pool's retry budget. */
    default void retryRejected() {
    }

    /**
     * A connection to a node was opened (connected).
     *
     * @param node the node's index
     */
    default void connectionOpened(int node) {
    }

    /**
     * A connection to a node was closed on its return (it failed, the node drains, or the pool shrank).
     *
     * @param node the node's index
     */
    default void connectionClosed(int node) {
    }

    /**
     * A node's circuit breaker changed state.
     *
     * @param node the node's index
     * @param to the new state
     */
    default void circuitChanged(int node, CircuitState to) {
    }

    /** Removes whatever this tracker registered. Called once; must not throw. */
    @Override
    default void close() {
    }
}
