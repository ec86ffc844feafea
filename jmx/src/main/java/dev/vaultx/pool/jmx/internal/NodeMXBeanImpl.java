package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.jmx.NodeMXBean;
import dev.vaultx.pool.jmx.PoolMBeans;
import java.net.URI;
import java.time.Duration;

/**
 * {@link NodeMXBean} for one configured node: picks the node out of each fresh pool snapshot.
 *
 * <p>This class is thread-safe (it holds no mutable state).
 */
final class NodeMXBeanImpl implements NodeMXBean {

    private final ConnectionPool pool;
    private final URI node;
    private final String hostPort;

    NodeMXBeanImpl(ConnectionPool pool, URI node) {
        this.pool = pool;
        this.node = node;
        this.hostPort = PoolMBeans.hostPort(node);
    }

    private NodeStats stats() {
        for (NodeStats s : ClientErrors.call(pool::stats).nodes()) {
            if (s.node().equals(node) || PoolMBeans.hostPort(s.node()).equals(hostPort)) {
                return s;
            }
        }
        throw new IllegalStateException("node: " + hostPort + " (expected: a node of pool '" + pool.name() + "')");
    }

    private NodeHealth health() {
        for (NodeHealth h : ClientErrors.call(pool::health).nodes()) {
            if (h.node().equals(node) || PoolMBeans.hostPort(h.node()).equals(hostPort)) {
                return h;
            }
        }
        throw new IllegalStateException("node: " + hostPort + " (expected: a node of pool '" + pool.name() + "')");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    @Override
    public String getNode() {
        return node.toString();
    }

    @Override
    public String getRole() {
        return health().role().name();
    }

    @Override
    public String getCircuitState() {
        return health().circuitState().name();
    }

    @Override
    public int getActiveConnections() {
        return stats().activeConnections();
    }

    @Override
    public int getIdleConnections() {
        return stats().idleConnections();
    }

    @Override
    public int getTotalConnections() {
        return stats().totalConnections();
    }

    @Override
    public int getPendingRequests() {
        return stats().pendingRequests();
    }

    @Override
    public int getInFlightRequests() {
        return stats().inFlightRequests();
    }

    @Override
    public double getLatencyP50Millis() {
        return stats().latencyP50Millis();
    }

    @Override
    public double getLatencyP99Millis() {
        return stats().latencyP99Millis();
    }

    @Override
    public int getMaxConnections() {
        return stats().maxConnections();
    }

    @Override
    public long getTotalRequests() {
        return stats().totalRequests();
    }

    @Override
    public long getFailedRequests() {
        return stats().failedRequests();
    }

    @Override
    public long getConnectionsOpened() {
        return stats().connectionsOpened();
    }

    @Override
    public long getConnectionsClosed() {
        return stats().connectionsClosed();
    }

    @Override
    public boolean isDraining() {
        return stats().draining();
    }

    @Override
    public boolean isUsable() {
        return health().usable();
    }

    @Override
    public String getLastCheck() {
        return text(health().lastCheck());
    }

    @Override
    public long getLastProbeLatencyMillis() {
        Duration latency = health().lastLatency();
        return latency == null ? -1 : latency.toMillis();
    }

    @Override
    public int getConsecutiveFailures() {
        return health().consecutiveFailures();
    }

    @Override
    public String getLastError() {
        return text(health().lastError());
    }

    @Override
    public String getClusterId() {
        return text(health().clusterId());
    }

    @Override
    public String getVersion() {
        return text(health().version());
    }

    @Override
    public String drain(long timeoutMillis) {
        return ClientErrors.call(() -> {
            ClientErrors.checkTimeoutMillis(timeoutMillis);
            return Summaries.await(hostPort, pool.control().drain(hostPort, Duration.ofMillis(timeoutMillis)), timeoutMillis);
        });
    }

    @Override
    public void resume() {
        ClientErrors.run(() -> pool.control().resume(hostPort));
    }

    @Override
    public void resetCircuit() {
        ClientErrors.run(() -> pool.control().resetCircuit(hostPort));
    }
}
