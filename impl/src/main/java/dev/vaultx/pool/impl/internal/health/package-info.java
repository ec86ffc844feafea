/**
 * Health probing of Vault nodes: classification of {@code /v1/sys/health} answers into node roles,
 * with the query string that remaps every non-active status to {@code 299} (as Vault's Go client
 * does), the fallback to the default status codes for servers that ignore those overrides
 * (OpenBao, older Vault), and extraction of the cluster identity, version and server time that
 * the pool uses for cluster-consistency and clock-skew checks. Not an API: anything here may
 * change in any release.
 */
package dev.vaultx.pool.impl.internal.health;
