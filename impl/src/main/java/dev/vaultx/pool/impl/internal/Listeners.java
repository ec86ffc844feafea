package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The pool's {@link PoolListener}s. Events are delivered on the thread that observed the change,
 * never under a lock; a failing listener is logged and the others still run.
 *
 * <p>This class is thread-safe.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final String pool;
    private final CopyOnWriteArrayList<PoolListener> listeners = new CopyOnWriteArrayList<>();

    Listeners(String pool) {
        this.pool = pool;
    }

    AutoCloseable add(PoolListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    void roleChanged(URI node, NodeRole from, NodeRole to) {
        for (PoolListener l : listeners) {
            try {
                l.onRoleChange(pool, node, from, to);
            } catch (RuntimeException e) {
                LOG.warn("{} - listener {} failed on a role change", pool, l, e);
            }
        }
    }

    /** Tells every listener the pool closed, then forgets them. */
    void closed() {
        for (PoolListener l : listeners) {
            try {
                l.onClose(pool);
            } catch (RuntimeException e) {
                LOG.warn("{} - listener {} failed on close", pool, l, e);
            }
        }
        listeners.clear();
    }

    void circuitChanged(URI node, CircuitState from, CircuitState to) {
        if (to == CircuitState.OPEN) {
            LOG.warn("{} - circuit breaker of {} opened (was {})", pool, node, from);
        } else {
            LOG.info("{} - circuit breaker of {} is now {} (was {})", pool, node, to, from);
        }
        for (PoolListener l : listeners) {
            try {
                l.onCircuitStateChange(pool, node, from, to);
            } catch (RuntimeException e) {
                LOG.warn("{} - listener {} failed on a breaker change", pool, l, e);
            }
        }
    }
}
