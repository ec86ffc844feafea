/**
 * The {@code vaultx-pool} command line ({@link dev.vaultx.pool.cli.VaultxPoolCli}, picocli): {@code demo}
 * on an embedded simulated cluster with a live table, a failover and a JMX port; {@code probe} and
 * {@code load} for real Vault / OpenBao clusters. Packaged as one executable jar,
 * {@code cli/target/vaultx-pool.jar}.
 */
package dev.vaultx.pool.cli;
