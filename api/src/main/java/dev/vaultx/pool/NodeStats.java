package dev.vaultx.pool;

import java.net.URI;

/**
 * A point-in-time snapshot of one node's statistics. Immutable and thread-safe.
 *
 * @param node the node's base URI
 * @param totalConnections open connections (active + idle)
 * @param activeConnections leased connections
 * @param idleConnections idle connections
 * @param pendingRequests requests waiting for a connection to this node
 * @param inFlightRequests requests sent to this node and not yet answered or failed
 * @param maxConnections the limit per node: {@code size + maxOverflow}
 * @param totalRequests tries sent to this node (a retried request counts on each node it tried)
 * @param failedRequests tries on this node that failed or answered 5xx
 * @param draining {@code true} while the node is drained and takes no new work
 * @param latencyP50Millis median time of recent tries on this node, in milliseconds (-1 when there was none in the last one to two minutes)
 * @param latencyP99Millis 99th percentile of recent tries on this node, in milliseconds (-1 when there was none in the last one to two minutes)
 * @param connectionsOpened connections opened to this node since the pool started (each a TCP connect, and a TLS
 *                          handshake on https); flat under steady load once the pool is warm
 * @param connectionsClosed connections to this node closed since the pool started, for any reason (failure, idle,
 *                          overflow no longer needed, drain, resize, closed by the server): {@code connectionsOpened}
 *                          minus the connections open now (one being opened counts as open)
 */
public record NodeStats(URI node, int totalConnections, int activeConnections, int idleConnections,
                        int pendingRequests, int inFlightRequests, int maxConnections, long totalRequests,
                        long failedRequests, boolean draining, double latencyP50Millis, double latencyP99Millis,
                        long connectionsOpened, long connectionsClosed) {
}
