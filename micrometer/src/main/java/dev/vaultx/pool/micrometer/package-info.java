/**
 * Micrometer meters for vaultx-pool: {@link dev.vaultx.pool.micrometer.PoolMeterBinder} binds one
 * {@link dev.vaultx.pool.ConnectionPool} to a {@code MeterRegistry} with the tags {@code pool} and (per node)
 * {@code node}; every name is in {@link dev.vaultx.pool.micrometer.MeterNames}; everything it registers is
 * removed when the pool (or the binder) closes. Depends on the api only.
 */
package dev.vaultx.pool.micrometer;
