package dev.vaultx.pool;

/** The pool is closed (or closing) and takes no new work. */
public class PoolClosedException extends VaultPoolException {

    private static final long serialVersionUID = 1L;

    /** @param poolName the pool's name */
    public PoolClosedException(String poolName) {
        super(poolName, "pool is closed", null);
    }
}
