package dev.vaultx.pool;

/** The overall health of a pool, as reported by {@link ConnectionPool#health()}. */
public enum HealthStatus {
    /** An active node is known and usable, and every node is healthy. */
    UP,
    /** Requests can be served, but some node is down, sealed or has its breaker open, or no active node is known and standbys forward. */
    DEGRADED,
    /** No node can serve a request. */
    DOWN
}
