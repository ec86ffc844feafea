package dev.vaultx.pool;

import java.time.Duration;

/** A request's overall deadline passed before it got a response; retries included. */
public class RequestTimeoutException extends VaultPoolException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /**
     * @param poolName the pool's name
     * @param timeout the deadline that passed
     * @param message the message after the pool name
     * @param cause the last failure of a try, or {@code null}
     */
    public RequestTimeoutException(String poolName, Duration timeout, String message, Throwable cause) {
        super(poolName, message, cause);
        this.timeout = timeout;
    }

    /** @return the deadline that passed */
    public Duration timeout() {
        return timeout;
    }
}
