/**
 * OSGi glue of the Micrometer module: {@link dev.vaultx.pool.micrometer.osgi.MeterRegistryWhiteboard}, a Declarative
 * Services component, registers a {@code PoolMetricsTrackerFactory} service for every {@code MeterRegistry} service,
 * which the pools made from configurations pick up. Private to the bundle; depends on the api only.
 */
package dev.vaultx.pool.micrometer.osgi;
