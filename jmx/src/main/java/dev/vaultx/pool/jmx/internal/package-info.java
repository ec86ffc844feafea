/**
 * The MBean implementations behind {@link dev.vaultx.pool.jmx}: pool and node MXBeans that read a
 * pool's snapshots and call its {@link dev.vaultx.pool.PoolControl}, the notification emitter fed by a
 * {@link dev.vaultx.pool.PoolListener}, the registration with its rollback, and the loopback RMI
 * connector. Not an API: not exported from the bundle, may change without notice.
 */
package dev.vaultx.pool.jmx.internal;
