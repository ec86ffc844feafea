/**
 * CDI glue of the Micrometer module: {@link dev.vaultx.pool.micrometer.cdi.PoolMeterRegistrar} binds every pool a
 * CDI container starts to the application's {@code MeterRegistry} bean, when there is exactly one. Depends on
 * the api only.
 */
package dev.vaultx.pool.micrometer.cdi;
