package dev.vaultx.pool.impl.internal.metrics;

import dev.vaultx.pool.CircuitState;

/**
 * What the pool reports to a metrics backend (HikariCP's tracker pattern): the request path calls
 * these, the default methods do nothing, and {@link DropwizardMetricsTracker} records them. Nodes
 * are named by their index in the configuration, so the hot path does no map lookup.
 *
 * <p>Implementations are thread-safe and cheap: a method call costs a timer or meter update at most.
 */
public interface MetricsTracker extends AutoCloseable {

    /** Records nothing. */
    MetricsTracker NOOP = new MetricsTracker() { };

    /**
     * A request completed.
     *
     * @param nanos from acceptance to completion
     * @param failureKind {@code null} on success, else a lower-case kind such as {@code pool_exhausted}
     */
    default void requestCompleted(long nanos, String failureKind) {
    }

    /**
     * A try on a node completed; {@code failed} if it counted against the node.
     *
     * @param nanos from sending to the outcome, or -1 if the try never got a connection
     */
    default void tryCompleted(int node, long nanos, boolean failed) {
    }

    /** A request waited this long for a connection. */
    default void leaseWaited(long nanos) {
    }

    /** A retry was sent. */
    default void retried() {
    }

    /** A retry was refused by the retry budget. */
    default void retryRejected() {
    }

    /** A connection to a node was opened. */
    default void connectionOpened(int node) {
    }

    /** A connection to a node was closed on return. */
    default void connectionDiscarded(int node) {
    }

    /** A node's breaker changed state. */
    default void circuitChanged(int node, CircuitState to) {
    }

    /** @return the median and 99th percentile of a node's recent tries in milliseconds, or -1 each if unknown */
    default double[] nodeLatencyMillis(int node) {
        return new double[] {-1, -1};
    }

    /** Removes everything this tracker registered. */
    @Override
    default void close() {
    }
}
