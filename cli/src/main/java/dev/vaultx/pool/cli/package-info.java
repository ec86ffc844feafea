/** The vaultx-pool runnable: a demo of the pool on an embedded simulated Vault cluster. */
package dev.vaultx.pool.cli;
