package dev.vaultx.pool.metrics;

import dev.vaultx.pool.ConnectionPool;

/**
 * Makes the {@link PoolMetricsTracker} of one pool (HikariCP's {@code MetricsTrackerFactory}). Give it to a pool
 * with {@code AsyncHttpConnectionPool.builder(config).metricsTrackerFactory(factory)}; in CDI, a bean of this type
 * is used for every pool the container starts, and in OSGi every service of this type is used by every pool made
 * from a configuration, for as long as the service is registered.
 *
 * <pre>{@code
 * AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config)
 *         .metricsTrackerFactory(p -> new MyTracker(p.name(), p.config().nodes()))
 *         .start();
 * }</pre>
 *
 * <p>Implementations must be thread-safe: several pools may be started at once.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface PoolMetricsTrackerFactory {

    /**
     * Makes the tracker of a pool that is running (or of one that has just started). Called once per pool and
     * factory, never on the request path. A factory that throws is logged and the pool runs without its tracker.
     *
     * @param pool the pool: its {@link ConnectionPool#name() name}, its nodes ({@code pool.config().nodes()}, whose
     *             positions are the node indexes of the tracker's methods), and its statistics and health for gauges
     * @return the pool's tracker; the pool closes it when the pool closes or the tracker is detached
     */
    PoolMetricsTracker create(ConnectionPool pool);
}
