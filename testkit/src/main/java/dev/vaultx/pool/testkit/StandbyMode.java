package dev.vaultx.pool.testkit;

/**
 * What standby nodes of a {@link SimulatedVaultCluster} do with API requests. A performance standby
 * serves reads itself in either mode. This enum is immutable and thread-safe.
 */
public enum StandbyMode {
    /**
     * Forward transparently to the active node (Vault's default with request forwarding): the client
     * gets the active node's answer from the standby. A request with
     * {@code X-Vault-No-Request-Forwarding} still gets a 307.
     */
    FORWARD,
    /**
     * Answer {@code 307 Temporary Redirect} with {@code Location} = active node + path + query (what
     * Vault does when forwarding is unavailable).
     */
    REDIRECT
}
