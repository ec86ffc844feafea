package dev.vaultx.pool;

/** The state of a node's circuit breaker. */
public enum CircuitState {
    /** Requests flow; failures are counted. */
    CLOSED,
    /** The node failed too often (or reported itself sealed): it takes no requests until the delay passes. */
    OPEN,
    /** The delay has passed: a bounded number of trial requests decide whether the breaker closes or opens again. */
    HALF_OPEN
}
