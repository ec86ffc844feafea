/**
 * CDI glue of the Micrometer module: {@link dev.vaultx.pool.micrometer.cdi.PoolMeterRegistrar}, a metrics tracker
 * factory bean, gives every pool a CDI container starts its Micrometer meters in the application's
 * {@code MeterRegistry} bean, when there is exactly one. Depends on the api only.
 */
package dev.vaultx.pool.micrometer.cdi;
