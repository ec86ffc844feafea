package dev.vaultx.pool;

/**
 * The role a Vault (or OpenBao) node reports for itself on {@code GET /v1/sys/health}.
 *
 * <p>The pool learns roles from the JSON body of the health endpoint (the status overrides are
 * remapped to 2xx, as Vault's own Go client does) and falls back to the default status codes
 * (200, 429, 472, 473, 474, 501, 503, 530) for servers that ignore the overrides.
 */
public enum NodeRole {
    /** Not probed yet. Usable for requests until a probe says otherwise. */
    UNKNOWN(true),
    /** The active node: serves reads and writes (health code 200). */
    ACTIVE(true),
    /** A standby: forwards requests to the active node (health code 429). */
    STANDBY(true),
    /** A performance standby (Vault Enterprise): serves reads locally, forwards writes (health code 473). */
    PERFORMANCE_STANDBY(true),
    /** A disaster-recovery secondary: serves almost nothing (health code 472). */
    DR_SECONDARY(false),
    /** A standby that cannot heartbeat the active node; forwarding from it fails (health code 474). */
    HA_UNHEALTHY(false),
    /** Sealed: serves nothing until unsealed (health code 503). */
    SEALED(false),
    /** Not initialized (health code 501). */
    UNINITIALIZED(false),
    /** Removed from the Raft cluster, permanently (health code 530). */
    REMOVED(false),
    /** The last probe got no HTTP answer (refused, reset, timed out) or an answer the pool cannot read. */
    UNREACHABLE(false);

    private final boolean serving;

    NodeRole(boolean serving) {
        this.serving = serving;
    }

    /**
     * Whether a node in this role may be sent API requests.
     *
     * @return {@code true} for {@link #ACTIVE}, {@link #STANDBY}, {@link #PERFORMANCE_STANDBY} and {@link #UNKNOWN}
     */
    public boolean isServing() {
        return serving;
    }
}
