/**
 * Runtime management of a vaultx-pool over JMX: MXBeans that JConsole (or any JMX client) shows
 * without vaultx classes on its class path, the notifications they emit, and their registration.
 *
 * <p>Register a pool with {@link dev.vaultx.pool.jmx.PoolMBeans#register(dev.vaultx.pool.ConnectionPool)};
 * it appears as {@code dev.vaultx:type=ConnectionPool,name="<pool>"} ({@link dev.vaultx.pool.jmx.PoolMXBean})
 * with one {@code ...,node=<host_port>} bean per node ({@link dev.vaultx.pool.jmx.NodeMXBean}). Closing the
 * registration or the pool unregisters them. {@link dev.vaultx.pool.jmx.JmxConnectorSupport} starts a
 * loopback-only RMI connector for demos and the CLI.
 *
 * <p>Every attribute and operation uses open types only ({@code String}, primitives, {@code String[]},
 * {@code CompositeData}), and every failure reaching a client is a JDK exception whose message reads
 * {@code name: value (expected: ...)}.
 */
package dev.vaultx.pool.jmx;
