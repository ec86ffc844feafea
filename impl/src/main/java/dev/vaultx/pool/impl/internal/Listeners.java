package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The pool's {@link PoolListener}s. Events are delivered one at a time, in the order they happened, on the
 * pool's worker threads: never on the thread that observed the change (an I/O thread, or the timer that ends
 * requests at their deadline), never under a lock. A slow listener thus delays only later events. A failing
 * listener is logged and the others still run.
 *
 * <p>This class is thread-safe.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final String pool;
    private final Executor worker;
    private final CopyOnWriteArrayList<PoolListener> listeners = new CopyOnWriteArrayList<>();
    /** Keeps the events in order: delivered one at a time, on a worker thread. */
    private final SerialGate lane = new SerialGate() {
        @Override
        void onStepFailed(Throwable e) {
            LOG.warn("{} - delivering a listener event failed", pool, e);
        }
    };

    Listeners(String pool, Executor worker) {
        this.pool = pool;
        this.worker = worker;
    }

    AutoCloseable add(PoolListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    void roleChanged(URI node, NodeRole from, NodeRole to) {
        if (listeners.isEmpty()) {
            return;
        }
        lane.executeOn(worker, () -> {
            for (PoolListener l : listeners) {
                try {
                    l.onRoleChange(pool, node, from, to);
                } catch (RuntimeException | Error e) {
                    LOG.warn("{} - listener {} failed on a role change", pool, l, e);
                }
            }
        });
    }

    /** Tells every listener the pool closed (after the events before it), then forgets them. */
    void closed() {
        lane.executeOn(worker, () -> {
            for (PoolListener l : listeners) {
                try {
                    l.onClose(pool);
                } catch (RuntimeException | Error e) {
                    LOG.warn("{} - listener {} failed on close", pool, l, e);
                }
            }
            listeners.clear();
        });
    }

    void circuitChanged(URI node, CircuitState from, CircuitState to) {
        if (to == CircuitState.OPEN) {
            LOG.warn("{} - circuit breaker of {} opened (was {})", pool, node, from);
        } else {
            LOG.info("{} - circuit breaker of {} is now {} (was {})", pool, node, to, from);
        }
        if (listeners.isEmpty()) {
            return;
        }
        lane.executeOn(worker, () -> {
            for (PoolListener l : listeners) {
                try {
                    l.onCircuitStateChange(pool, node, from, to);
                } catch (RuntimeException | Error e) {
                    LOG.warn("{} - listener {} failed on a breaker change", pool, l, e);
                }
            }
        });
    }
}
