package dev.vaultx.pool;

import java.net.URI;

/** A request could not get a response from a node: connection refused, reset, timed out, garbled. */
public class VaultTransportException extends VaultPoolException {

    private static final long serialVersionUID = 1L;

    private final transient URI node;
    private final FailureKind kind;

    /**
     * @param poolName the pool's name
     * @param node the node that failed
     * @param kind what failed
     * @param message the message after the pool name
     * @param cause the underlying I/O failure, or {@code null}
     */
    public VaultTransportException(String poolName, URI node, FailureKind kind, String message, Throwable cause) {
        super(poolName, message, cause);
        this.node = node;
        this.kind = kind;
    }

    /** @return the node that failed */
    public URI node() {
        return node;
    }

    /** @return the kind of failure */
    public FailureKind kind() {
        return kind;
    }
}
