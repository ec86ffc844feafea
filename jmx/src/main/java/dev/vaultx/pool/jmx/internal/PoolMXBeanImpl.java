package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolControl;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.PoolMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@link PoolMXBean} over the pool's public API: each attribute reads a fresh snapshot, each operation
 * calls {@link PoolControl} and waits for it on the caller's (JMX) thread.
 *
 * <p>This class is thread-safe (it holds no state of its own).
 */
final class PoolMXBeanImpl implements PoolMXBean {

    private final ConnectionPool pool;
    private final String[] nodes;

    PoolMXBeanImpl(ConnectionPool pool) {
        this.pool = pool;
        List<URI> uris = pool.config().nodes();
        this.nodes = uris.stream().map(PoolMBeans::hostPort).toArray(String[]::new);
    }

    private PoolStats stats() {
        return ClientErrors.call(pool::stats);
    }

    private PoolControl control() {
        return pool.control();
    }

    @Override
    public String getName() {
        return pool.name();
    }

    @Override
    public String[] getNodes() {
        return nodes.clone();
    }

    @Override
    public int getSize() {
        return stats().size();
    }

    @Override
    public int getMaxOverflow() {
        return stats().maxOverflow();
    }

    @Override
    public int getTotalConnections() {
        return stats().totalConnections();
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
    public int getPendingRequests() {
        return stats().pendingRequests();
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
    public String getHealthStatus() {
        return ClientErrors.call(pool::health).status().name();
    }

    @Override
    public String getActiveNode() {
        URI active = ClientErrors.call(pool::health).activeNode();
        return active == null ? "" : PoolMBeans.hostPort(active);
    }

    @Override
    public void resize(int size, int maxOverflow) {
        ClientErrors.run(() -> control().resize(size, maxOverflow));
    }

    @Override
    public String drain(String node, long timeoutMillis) {
        return ClientErrors.call(() -> {
            ClientErrors.checkTimeoutMillis(timeoutMillis);
            return Summaries.await(node, control().drain(node, Duration.ofMillis(timeoutMillis)), timeoutMillis);
        });
    }

    @Override
    public String drainAll(long timeoutMillis) {
        return ClientErrors.call(() -> {
            ClientErrors.checkTimeoutMillis(timeoutMillis);
            return Summaries.awaitAll(control().drainAll(Duration.ofMillis(timeoutMillis)), timeoutMillis);
        });
    }

    @Override
    public void resume(String node) {
        ClientErrors.run(() -> control().resume(node));
    }

    @Override
    public int evictIdle() {
        return ClientErrors.call(() -> control().evictIdle());
    }

    @Override
    public void resetCircuit(String node) {
        ClientErrors.run(() -> control().resetCircuit(node));
    }

    @Override
    public String checkHealthNow() {
        return ClientErrors.call(() -> Summaries.awaitHealth(control().checkHealthNow(), pool::health));
    }
}
