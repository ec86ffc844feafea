package dev.vaultx.pool.jmx;

/**
 * The management interface of one {@link dev.vaultx.pool.ConnectionPool}, registered as
 * {@code dev.vaultx:type=ConnectionPool,name=<ObjectName.quote(poolName)>} (see
 * {@link PoolMBeans#poolObjectName(String)}).
 *
 * <p>Every attribute is a point-in-time value read when it is asked for: two attributes read one
 * after the other may come from different moments, and under traffic the connection counts are
 * transient (at quiescence {@code TotalConnections == ActiveConnections + IdleConnections}). Counters
 * ({@code TotalRequests}, {@code FailedRequests}) grow from the pool's start. Times are in
 * milliseconds. Nodes are named {@code host:port}; operations also accept a node's base URI or
 * {@code host_port}.
 *
 * <p>An invalid argument fails with a {@link IllegalArgumentException} (a JDK type, so any JMX client
 * can show it) whose message reads {@code name: value (expected: ...)}, e.g.
 * {@code size: 0 (expected: 1-10000)}. Remote clients receive it wrapped in a
 * {@link javax.management.RuntimeMBeanException}.
 *
 * <p>The bean emits {@link javax.management.Notification}s of the types {@link #ROLE_NOTIFICATION}
 * and {@link #CIRCUIT_NOTIFICATION}; their user data is a {@code CompositeData} with the string items
 * {@code pool}, {@code node} ({@code host:port}), {@code from} and {@code to}.
 *
 * <p>Implementations are thread-safe.
 */
public interface PoolMXBean {

    /** The notification type sent when a health probe sees a node's role change, e.g. {@code STANDBY} to {@code SEALED}. */
    String ROLE_NOTIFICATION = "dev.vaultx.pool.role";

    /** The notification type sent when a node's circuit breaker changes state, e.g. {@code CLOSED} to {@code OPEN}. */
    String CIRCUIT_NOTIFICATION = "dev.vaultx.pool.circuit";

    /** @return the pool's name */
    String getName();

    /** @return the configured nodes as {@code host:port}, in configuration order */
    String[] getNodes();

    /** @return connections kept per node, as configured or last set by {@link #resize(int, int)} */
    int getSize();

    /** @return extra connections allowed per node when all {@code Size} are busy */
    int getMaxOverflow();

    /** @return open connections to all nodes (active + idle), point-in-time */
    int getTotalConnections();

    /** @return connections leased to a request, point-in-time */
    int getActiveConnections();

    /** @return open connections waiting in the pool, point-in-time */
    int getIdleConnections();

    /** @return requests waiting for a connection, point-in-time */
    int getPendingRequests();

    /** @return requests accepted since the pool started, each counted once however many tries it took */
    long getTotalRequests();

    /** @return requests that ended in an exception or a 5xx response since the pool started */
    long getFailedRequests();

    /** @return {@code UP}, {@code DEGRADED} or {@code DOWN} (see {@link dev.vaultx.pool.HealthStatus}) */
    String getHealthStatus();

    /** @return the active node as {@code host:port}, or the empty string when none is known */
    String getActiveNode();

    /**
     * Changes the connections kept per node and the overflow above them, for every node. Shrinking
     * never fails a request in flight: busy connections above the new size close when returned.
     *
     * @param size connections kept per node, 1-10000
     * @param maxOverflow extra connections per node, 0-10000
     * @throws IllegalArgumentException {@code size: 0 (expected: 1-10000)} and the like
     */
    void resize(int size, int maxOverflow);

    /**
     * Stops sending new requests to a node, waits for the requests it has, then closes its
     * connections. Blocks until the node is drained or the timeout passed.
     *
     * @param node {@code host:port}, {@code host_port} or the base URI
     * @param timeoutMillis how long to wait for busy connections, 0-3600000 ms
     * @return e.g. {@code drained 127.0.0.1:8200 in 12 ms} or
     *         {@code 127.0.0.1:8200: 3 connections still busy after 500 ms}
     * @throws IllegalArgumentException for an unknown node or a timeout out of range
     */
    String drain(String node, long timeoutMillis);

    /**
     * Drains every node, as {@link #drain(String, long)} does, in parallel: followed by closing the
     * pool it is a graceful shutdown. Blocks until all are drained or the timeout passed.
     *
     * @param timeoutMillis how long to wait for busy connections, 0-3600000 ms
     * @return one summary per node, separated by {@code "; "}
     * @throws IllegalArgumentException for a timeout out of range
     */
    String drainAll(long timeoutMillis);

    /**
     * Takes a drained node back into service.
     *
     * @param node {@code host:port}, {@code host_port} or the base URI
     * @throws IllegalArgumentException for an unknown node
     */
    void resume(String node);

    /**
     * Closes every idle connection now; busy ones are untouched.
     *
     * @return how many connections were idle before the call (an estimate under traffic)
     */
    int evictIdle();

    /**
     * Closes a node's circuit breaker, forgetting its failures.
     *
     * @param node {@code host:port}, {@code host_port} or the base URI
     * @throws IllegalArgumentException for an unknown node
     */
    void resetCircuit(String node);

    /**
     * Probes every node's {@code /v1/sys/health} now and waits for the answers, at most 10 seconds.
     *
     * @return the status after the probes with the active node, e.g. {@code UP (active: 127.0.0.1:8200)},
     *         or {@code DEGRADED (...)} naming the nodes that cannot serve
     */
    String checkHealthNow();
}
