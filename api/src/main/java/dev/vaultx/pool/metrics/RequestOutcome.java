package dev.vaultx.pool.metrics;

import dev.vaultx.pool.FailureKind;

/**
 * How a request ended, as told to {@link PoolMetricsTracker#requestCompleted}. Every constant but
 * {@link #SUCCESS} is a failure: the request counts in {@code PoolStats.failedRequests()}.
 *
 * @since 0.2.0
 */
public enum RequestOutcome {
    /** A response below 500 (a 4xx is the caller's business, not the pool's failure). */
    SUCCESS,
    /** The last try answered 5xx (no other node was tried, or every try answered 5xx). */
    HTTP_5XX,
    /** The last try failed in the transport; its {@link FailureKind} comes with it. */
    TRANSPORT,
    /** Refused at once: {@code maxPendingRequests} requests were waiting already ({@code PoolExhaustedException}). */
    POOL_EXHAUSTED,
    /** No node could take the request ({@code NoAvailableNodeException}). */
    NO_AVAILABLE_NODE,
    /** The request's deadline passed ({@code RequestTimeoutException}). */
    REQUEST_TIMEOUT,
    /** The pool closed before the request completed ({@code PoolClosedException}). */
    POOL_CLOSED,
    /** Any other failure. */
    OTHER;

    /** @return {@code true} for every constant but {@link #SUCCESS} */
    public boolean isFailure() {
        return this != SUCCESS;
    }
}
