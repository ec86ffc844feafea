/**
 * The contract of vaultx-pool: a connection pool for the HTTP transport of one HashiCorp Vault
 * (or OpenBao) cluster. Contracts only &mdash; interfaces, immutable configuration and value types,
 * and the exception family; the implementation lives in {@code vaultx-pool-impl}.
 *
 * <p>Start with {@link dev.vaultx.pool.ConnectionPool} and {@link dev.vaultx.pool.PoolConfig}.
 */
package dev.vaultx.pool;
