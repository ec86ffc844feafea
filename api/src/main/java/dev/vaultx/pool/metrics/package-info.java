/**
 * The metrics SPI of vaultx-pool: a {@link dev.vaultx.pool.metrics.PoolMetricsTrackerFactory} makes one
 * {@link dev.vaultx.pool.metrics.PoolMetricsTracker} per pool, and the pool tells it of every request, try,
 * lease wait, retry, connection and breaker change as they happen. Implement it to record the pool's events in
 * a metrics library the pool does not know ({@code vaultx-pool-micrometer} implements it for Micrometer;
 * Dropwizard Metrics is built into {@code vaultx-pool-impl}).
 *
 * @since 0.2.0
 */
package dev.vaultx.pool.metrics;
