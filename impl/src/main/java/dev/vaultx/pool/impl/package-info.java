/**
 * The vaultx-pool implementation on Apache HttpAsyncClient 5: start a pool with
 * {@link dev.vaultx.pool.impl.AsyncHttpConnectionPool#start(dev.vaultx.pool.PoolConfig)}.
 * Everything under {@code internal} is private to this module.
 */
package dev.vaultx.pool.impl;
