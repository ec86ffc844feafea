/**
 * OSGi glue of the JMX module: {@link dev.vaultx.pool.jmx.osgi.PoolMBeanWhiteboard}, a Declarative
 * Services component, registers the MBeans of every {@link dev.vaultx.pool.ConnectionPool} service in
 * the platform MBeanServer and unregisters them when the service goes away. Private to the bundle;
 * depends on the api only.
 */
package dev.vaultx.pool.jmx.osgi;
