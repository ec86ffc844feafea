/**
 * OSGi glue of the implementation: {@link dev.vaultx.pool.impl.osgi.PoolComponent}, a Declarative
 * Services component with the factory configuration PID {@code dev.vaultx.pool}, starts one pool per
 * ConfigAdmin configuration and registers it as a {@link dev.vaultx.pool.ConnectionPool} service;
 * {@link dev.vaultx.pool.impl.osgi.PoolConfiguration} describes its keys to metatype consumers (web
 * consoles). Private to the bundle. The DS and metatype annotations are build-time only (CLASS
 * retention), so the rest of the module runs in plain Java without any OSGi jar.
 */
package dev.vaultx.pool.impl.osgi;
