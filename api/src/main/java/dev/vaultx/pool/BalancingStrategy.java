package dev.vaultx.pool;

/** How the pool chooses a node for a request. */
public enum BalancingStrategy {
    /**
     * The default: writes go to the active node; reads go to the active node or, with
     * {@link PoolConfig#readFromStandbys()}, to performance standbys too; when no active node is usable,
     * to any unsealed standby (it forwards). Among equal candidates the one with fewer requests in
     * flight wins (power of two choices).
     */
    VAULT_AWARE,
    /** Every serving node in turn, ignoring roles (for load balancers or proxies in front of each node). */
    ROUND_ROBIN,
    /** The serving node with the fewest requests in flight, ignoring roles. */
    LEAST_PENDING
}
