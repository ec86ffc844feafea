package dev.vaultx.pool;

/**
 * The root of every failure the pool reports. Messages start with the pool's name and never
 * contain a token.
 */
public class VaultPoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String poolName;

    /**
     * @param poolName the pool's name, put in front of the message
     * @param message what happened
     * @param cause the underlying failure, or {@code null}
     */
    public VaultPoolException(String poolName, String message, Throwable cause) {
        super(poolName + " - " + message, cause);
        this.poolName = poolName;
    }

    /** @return the name of the pool that failed */
    public String poolName() {
        return poolName;
    }
}
