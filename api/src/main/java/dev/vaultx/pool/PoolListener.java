package dev.vaultx.pool;

import java.net.URI;

/**
 * Receives changes of node roles and circuit breaker states, e.g. for logging, metrics or JMX
 * notifications. Register with {@link ConnectionPool#addListener(PoolListener)}.
 *
 * <p>Callbacks run one at a time, in the order the changes happened, on the pool's worker threads:
 * never on an I/O thread nor on the timer that ends requests at their deadline, and never under a lock.
 * A slow listener therefore delays only the events after it (and holds one of the pool's two worker
 * threads meanwhile); it should still be quick. An exception thrown by a listener is logged and ignored.
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
