package dev.vaultx.pool;

import java.util.List;

/**
 * No node can serve the request now: every node is down, sealed, drained or has its breaker open.
 * Raised at once rather than after a wait; the message lists each node's state.
 */
public class NoAvailableNodeException extends VaultPoolException {

    private static final long serialVersionUID = 1L;

    private final transient List<NodeHealth> nodes;

    /**
     * @param poolName the pool's name
     * @param message what was asked for and why nothing serves
     * @param nodes each node's state at the time
     * @param cause the last failure seen, or {@code null}
     */
    public NoAvailableNodeException(String poolName, String message, List<NodeHealth> nodes, Throwable cause) {
        super(poolName, message, cause);
        this.nodes = List.copyOf(nodes);
    }

    /** @return each node's state when the request was refused */
    public List<NodeHealth> nodes() {
        return nodes;
    }
}
