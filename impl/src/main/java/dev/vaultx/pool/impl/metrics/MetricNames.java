package dev.vaultx.pool.impl.metrics;

import java.net.URI;

/**
 * Every metric name a pool registers, in one place. Names are
 * {@code vaultx.pool.<pool>.<metric>} for the pool and
 * {@code vaultx.pool.<pool>.node.<host>_<port>.<metric>} for a node; they never contain a token.
 * Everything a pool registers is removed when it closes.
 *
 * <p>This class is thread-safe (constants and pure functions).
 */
public final class MetricNames {

    /** Prefix of every name. */
    public static final String PREFIX = "vaultx.pool";

    /** Timer: every request, from {@code requestAsync} to its completion, retries included. */
    public static final String REQUESTS = "requests";
    /** Meter: requests that failed, one meter per kind: {@code requests.failed.<kind>} (see {@link #failed(String, String)}). */
    public static final String REQUESTS_FAILED = "requests.failed";
    /** Timer: how long requests waited for a connection (lease). */
    public static final String LEASE_WAIT = "lease.wait";
    /** Meter: retries sent (to another node, or after a backoff). */
    public static final String RETRIES = "retries";
    /** Meter: retries refused by the retry budget. */
    public static final String RETRIES_REJECTED = "retries.rejected";
    /** Gauge: the seed's statistics. */
    public static final String TOTAL_CONNECTIONS = "connections.total";
    /** Gauge: leased connections. */
    public static final String ACTIVE_CONNECTIONS = "connections.active";
    /** Gauge: idle connections. */
    public static final String IDLE_CONNECTIONS = "connections.idle";
    /** Gauge: requests waiting for a connection. */
    public static final String PENDING_REQUESTS = "requests.pending";
    /** Gauge: requests accepted since start. */
    public static final String TOTAL_REQUESTS = "requests.total";
    /** Gauge: requests that ended in an exception or a 5xx. */
    public static final String FAILED_REQUESTS = "requests.failedTotal";

    /** Node timer: tries sent to the node, to their response or failure. */
    public static final String NODE_TRIES = "tries";
    /** Node meter: tries that failed or answered a 5xx counting against the node. */
    public static final String NODE_FAILURES = "failures";
    /** Node counter: connections opened to the node. */
    public static final String NODE_CONNECTIONS_OPENED = "connections.opened";
    /** Node counter: connections closed on return (failure, drain, shrunk by a resize). */
    public static final String NODE_CONNECTIONS_DISCARDED = "connections.discarded";
    /** Node gauge: breaker state, 0 closed, 1 half-open, 2 open. */
    public static final String NODE_CIRCUIT_STATE = "circuit.state";
    /** Node meter: breaker transitions to open. */
    public static final String NODE_CIRCUIT_OPENED = "circuit.opened";

    private MetricNames() {
    }

    /** @return {@code vaultx.pool.<pool>.<metric>} */
    public static String pool(String pool, String metric) {
        return PREFIX + "." + pool + "." + metric;
    }

    /** @return {@code vaultx.pool.<pool>.requests.failed.<kind>}; kinds are lower-case, e.g. {@code pool_exhausted}, {@code connect_refused}, {@code http_5xx} */
    public static String failed(String pool, String kind) {
        return pool(pool, REQUESTS_FAILED + "." + kind);
    }

    /** @return {@code vaultx.pool.<pool>.node.<host>_<port>.<metric>} */
    public static String node(String pool, URI node, String metric) {
        return PREFIX + "." + pool + ".node." + node.getHost() + "_" + node.getPort() + "." + metric;
    }
}
