/**
 * CDI glue of the JMX module: {@link dev.vaultx.pool.jmx.cdi.PoolMBeanRegistrar} registers the MBeans
 * of every pool a CDI container starts and unregisters them at shutdown. Depends on the api only.
 */
package dev.vaultx.pool.jmx.cdi;
