package dev.vaultx.pool.micrometer;

/**
 * Every meter name and tag {@link PoolMeterBinder} and the tracker of {@link MicrometerTrackerFactory} register, in
 * one place. Names are Micrometer's dotted
 * names; a Prometheus registry shows {@code vaultx.pool.requests} (a counter) as
 * {@code vaultx_pool_requests_total} and {@code vaultx.pool.node.latency} (seconds) as
 * {@code vaultx_pool_node_latency_seconds}. No name is another's name plus {@code .total}, so no two
 * collide once Prometheus appends {@code _total} to counters. Names and tags never contain a token.
 *
 * <p>This class is thread-safe (constants only).
 */
public final class MeterNames {

    /** Tag: the pool's name, on every meter. */
    public static final String TAG_POOL = "pool";
    /** Tag: the node as {@code host:port}, on every node meter. */
    public static final String TAG_NODE = "node";
    /** Tag: {@code 0.5} or {@code 0.99} on {@link #NODE_LATENCY}. */
    public static final String TAG_QUANTILE = "quantile";
    /** Tag: {@value #OUTCOME_SUCCESS} or {@value #OUTCOME_FAILURE} on {@link #REQUEST_DURATION}. */
    public static final String TAG_OUTCOME = "outcome";
    /**
     * Tag: the failure's kind on {@link #REQUEST_DURATION} and {@link #REQUEST_FAILURES}: {@value #KIND_NONE} for a
     * success, else the lower-case name of the {@code RequestOutcome} ({@code http_5xx}, {@code pool_exhausted},
     * {@code no_available_node}, {@code request_timeout}, {@code pool_closed}, {@code other}) or, for a transport
     * failure, of its {@code FailureKind} ({@code connect_refused}, {@code connection_reset}, {@code response_timeout},
     * {@code tls}, ...): the kinds of the Dropwizard metric {@code requests.failed.<kind>}.
     */
    public static final String TAG_KIND = "kind";
    /** Value of {@link #TAG_OUTCOME}: the request got a response below 500. */
    public static final String OUTCOME_SUCCESS = "success";
    /** Value of {@link #TAG_OUTCOME}: the request failed or its response was a 5xx. */
    public static final String OUTCOME_FAILURE = "failure";
    /** Value of {@link #TAG_KIND} on successes. */
    public static final String KIND_NONE = "none";

    /** Timer (tags pool, outcome, kind): every request from acceptance to completion, retries included. */
    public static final String REQUEST_DURATION = "vaultx.pool.request.duration";
    /** Counter (tags pool, kind): failed requests by kind. */
    public static final String REQUEST_FAILURES = "vaultx.pool.request.failures";
    /** Timer: how long tries waited for a connection. */
    public static final String LEASE_WAIT = "vaultx.pool.lease.wait";
    /** Counter: retries sent. */
    public static final String RETRIES = "vaultx.pool.retries";
    /** Counter: retries the retry budget refused. */
    public static final String RETRIES_REJECTED = "vaultx.pool.retries.rejected";
    /** Timer (tags pool, node): tries on the node that got a connection, from sending to the outcome. */
    public static final String NODE_TRY_DURATION = "vaultx.pool.node.try.duration";

    /** Gauge: open connections to all nodes (the seed's {@code totalConnections}). */
    public static final String CONNECTIONS = "vaultx.pool.connections";
    /** Gauge: leased connections ({@code activeConnections}). */
    public static final String CONNECTIONS_ACTIVE = "vaultx.pool.connections.active";
    /** Gauge: idle connections ({@code idleConnections}). */
    public static final String CONNECTIONS_IDLE = "vaultx.pool.connections.idle";
    /** Gauge: requests waiting for a connection ({@code pendingRequests}). */
    public static final String REQUESTS_PENDING = "vaultx.pool.requests.pending";
    /** Function counter: requests accepted since start ({@code totalRequests}). */
    public static final String REQUESTS = "vaultx.pool.requests";
    /** Function counter: requests that ended in an exception or a 5xx ({@code failedRequests}). */
    public static final String REQUESTS_FAILED = "vaultx.pool.requests.failed";
    /** Gauge: the pool's health, 0 UP, 1 DEGRADED, 2 DOWN. */
    public static final String HEALTH = "vaultx.pool.health";

    /** Gauge: open connections to the node. */
    public static final String NODE_CONNECTIONS = "vaultx.pool.node.connections";
    /** Gauge: leased connections of the node. */
    public static final String NODE_CONNECTIONS_ACTIVE = "vaultx.pool.node.connections.active";
    /** Gauge: idle connections of the node. */
    public static final String NODE_CONNECTIONS_IDLE = "vaultx.pool.node.connections.idle";
    /** Gauge: the node's connection limit, {@code size + maxOverflow}. */
    public static final String NODE_CONNECTIONS_MAX = "vaultx.pool.node.connections.max";
    /** Node function counter: connections opened to the node since the pool started. */
    public static final String NODE_CONNECTIONS_OPENED = "vaultx.pool.node.connections.opened";
    /** Node function counter: connections to the node closed since the pool started. */
    public static final String NODE_CONNECTIONS_CLOSED = "vaultx.pool.node.connections.closed";
    /** Gauge: requests waiting for a connection to the node. */
    public static final String NODE_REQUESTS_PENDING = "vaultx.pool.node.requests.pending";
    /** Gauge: requests sent to the node and not answered yet. */
    public static final String NODE_REQUESTS_IN_FLIGHT = "vaultx.pool.node.requests.inflight";
    /** Function counter: tries sent to the node (a retried request counts on each node it tried). */
    public static final String NODE_TRIES = "vaultx.pool.node.tries";
    /** Function counter: tries on the node that failed or answered 5xx. */
    public static final String NODE_TRIES_FAILED = "vaultx.pool.node.tries.failed";
    /** Gauge (seconds): median and 99th percentile of the node's tries of the last one to two minutes; NaN when none. */
    public static final String NODE_LATENCY = "vaultx.pool.node.latency";
    /** Gauge: the node's circuit breaker, 0 CLOSED, 1 HALF_OPEN, 2 OPEN. */
    public static final String NODE_CIRCUIT_STATE = "vaultx.pool.node.circuit.state";
    /** Counter: transitions of the node's breaker to OPEN, since the binder was bound. */
    public static final String NODE_CIRCUIT_OPENED = "vaultx.pool.node.circuit.opened";
    /** Gauge: 1 while the pool sees the node as the active node, else 0. */
    public static final String NODE_ACTIVE = "vaultx.pool.node.active";
    /** Gauge: 1 while the balancer may send the node requests, else 0. */
    public static final String NODE_USABLE = "vaultx.pool.node.usable";
    /** Counter: role changes of the node seen by the health probes, since the binder was bound. */
    public static final String NODE_ROLE_CHANGES = "vaultx.pool.node.role.changes";

    private MeterNames() {
    }
}
