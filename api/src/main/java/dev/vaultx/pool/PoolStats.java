package dev.vaultx.pool;

import java.util.List;

/**
 * A point-in-time snapshot of a pool's statistics: the six numbers of Vaultx's {@code pool_stats}
 * plus the limits and one {@link NodeStats} per node.
 *
 * <p>Counts of connections are read from the connection manager and are exact at quiescence
 * ({@code totalConnections == activeConnections + idleConnections}); under traffic each is a
 * transient value. This record is immutable and thread-safe.
 *
 * @param poolName the pool's name
 * @param totalConnections open connections to all nodes (active + idle)
 * @param activeConnections connections leased to a request or a {@link PooledConnection}
 * @param idleConnections open connections waiting in the pool
 * @param pendingRequests requests waiting for a connection
 * @param totalRequests requests accepted since start, each counted once however many tries it took
 * @param failedRequests requests that ended in an exception or a 5xx response
 * @param size connections kept per node
 * @param maxOverflow extra connections allowed per node when all {@code size} are busy
 * @param nodes per-node statistics, in configuration order
 */
public record PoolStats(String poolName, int totalConnections, int activeConnections, int idleConnections,
                        int pendingRequests, long totalRequests, long failedRequests, int size, int maxOverflow,
                        List<NodeStats> nodes) {

    /** Copies the node list. */
    public PoolStats {
        nodes = List.copyOf(nodes);
    }
}
