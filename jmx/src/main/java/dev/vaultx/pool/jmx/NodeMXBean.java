package dev.vaultx.pool.jmx;

/**
 * The management interface of one node of a pool, registered as
 * {@code dev.vaultx:type=ConnectionPool,name=<ObjectName.quote(poolName)>,node=<host_port>} (see
 * {@link PoolMBeans#nodeObjectName(String, java.net.URI)}), e.g. {@code node=127.0.0.1_8200}.
 *
 * <p>Every attribute is a point-in-time value read when it is asked for (statistics from
 * {@link dev.vaultx.pool.NodeStats}, health from {@link dev.vaultx.pool.NodeHealth}); two attributes
 * read one after the other may come from different moments. Counters grow from the pool's start.
 * Times are in milliseconds; instants are ISO-8601 strings in UTC. Text attributes that have no
 * value yet are the empty string, never {@code null}.
 *
 * <p>Latency percentiles cover the node's recent tries (an exponentially decaying sample).
 *
 * <p>Implementations are thread-safe.
 */
public interface NodeMXBean {

    /** @return the node's base URI, e.g. {@code http://127.0.0.1:8200} */
    String getNode();

    /** @return the role from the last probe, a {@link dev.vaultx.pool.NodeRole} name ({@code UNKNOWN} before the first) */
    String getRole();

    /** @return the circuit breaker state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN} */
    String getCircuitState();

    /** @return leased connections, point-in-time */
    int getActiveConnections();

    /** @return idle connections, point-in-time */
    int getIdleConnections();

    /** @return open connections (active + idle), point-in-time */
    int getTotalConnections();

    /** @return requests waiting for a connection to this node, point-in-time */
    int getPendingRequests();

    /** @return requests sent to this node and not yet answered or failed, point-in-time */
    int getInFlightRequests();

    /** @return the median time of recent tries on this node, in milliseconds; -1 before any */
    double getLatencyP50Millis();

    /** @return the 99th percentile time of recent tries on this node, in milliseconds; -1 before any */
    double getLatencyP99Millis();

    /** @return the connection limit of this node: {@code Size + MaxOverflow} of the pool */
    int getMaxConnections();

    /** @return tries sent to this node since the pool started (a retried request counts on each node it tried) */
    long getTotalRequests();

    /** @return tries on this node that failed or answered 5xx since the pool started */
    long getFailedRequests();

    /** @return connections opened to this node since the pool started; flat under steady load once the pool is warm */
    long getConnectionsOpened();

    /** @return connections to this node closed since the pool started, for any reason */
    long getConnectionsClosed();

    /** @return {@code true} while the node is drained and takes no new requests */
    boolean isDraining();

    /** @return {@code true} if the pool may send this node requests now */
    boolean isUsable();

    /** @return when the last health probe completed, ISO-8601 in UTC, or the empty string before the first */
    String getLastCheck();

    /** @return the last health probe's round trip in milliseconds, or -1 before the first */
    long getLastProbeLatencyMillis();

    /** @return probes or requests that failed in a row */
    int getConsecutiveFailures();

    /** @return the last failure, without secrets, or the empty string */
    String getLastError();

    /** @return the {@code cluster_id} the node reported, or the empty string */
    String getClusterId();

    /** @return the server version the node reported, or the empty string */
    String getVersion();

    /**
     * Drains this node: see {@link PoolMXBean#drain(String, long)}.
     *
     * @param timeoutMillis how long to wait for busy connections, 0-3600000 ms
     * @return a one-line summary of the outcome
     * @throws IllegalArgumentException for a timeout out of range
     */
    String drain(long timeoutMillis);

    /** Takes this node back into service after a drain. */
    void resume();

    /** Closes this node's circuit breaker, forgetting its failures. */
    void resetCircuit();
}
