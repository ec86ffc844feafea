package dev.vaultx.pool;

import java.net.URI;

/**
 * Receives changes of node roles and circuit breaker states, e.g. for logging, metrics or JMX
 * notifications. Register with {@link ConnectionPool#addListener(PoolListener)}.
 *
 * <p>Callbacks run on the pool's internal threads, never under a lock; they must be quick and must
 * not block. An exception thrown by a listener is logged and ignored.
 */
public interface PoolListener {

    /**
     * A node's role changed, as seen by a health probe.
     *
     * @param pool the pool's name
     * @param node the node
     * @param from the previous role
     * @param to the new role
     */
    default void onRoleChange(String pool, URI node, NodeRole from, NodeRole to) {
    }

    /**
     * A node's circuit breaker changed state.
     *
     * @param pool the pool's name
     * @param node the node
     * @param from the previous state
     * @param to the new state
     */
    default void onCircuitStateChange(String pool, URI node, CircuitState from, CircuitState to) {
    }

    /**
     * The pool was closed: no further events follow. Used to unregister what was registered for the
     * pool (MBeans, metrics).
     *
     * @param pool the pool's name
     */
    default void onClose(String pool) {
    }
}
