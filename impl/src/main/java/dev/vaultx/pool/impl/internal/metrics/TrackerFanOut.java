package dev.vaultx.pool.impl.internal.metrics;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.impl.internal.LoopGuard;
import dev.vaultx.pool.metrics.PoolMetricsTracker;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import dev.vaultx.pool.metrics.RequestOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The pool's tracker: the built-in one ({@link DropwizardMetricsTracker}, which also answers
 * {@link #nodeLatencyMillis}) plus the public {@link PoolMetricsTracker}s attached to the pool, each call handed to
 * every one of them. Trackers can be attached and detached while the pool runs (an OSGi registry service coming and
 * going): the attached ones are a copy-on-write array, so the request path reads one volatile field and, with no
 * tracker attached, does nothing more. What an attached tracker throws is caught and logged (a {@link LoopGuard} per
 * tracker: once per cause at ERROR), never passed to the request.
 *
 * <p>Each method spells its loop out rather than passing a lambda to a shared one: a lambda that captures the
 * arguments would be allocated on every call of the request path.
 *
 * <p>This class is thread-safe; attaching, detaching and closing are serialized on {@code lock}, the calls are not.
 */
public final class TrackerFanOut implements MetricsTracker {

    private static final Logger LOG = LoggerFactory.getLogger(TrackerFanOut.class);
    private static final Attached[] NONE = {};
    /** The internal kind names ({@code Failures.metricName}, {@code http_5xx}) and what the public SPI calls them. */
    private static final Map<String, Kind> KINDS = kinds();
    private static final Kind SUCCESS = new Kind(RequestOutcome.SUCCESS, null);
    private static final Kind OTHER = new Kind(RequestOutcome.OTHER, null);

    private final String pool;
    private final MetricsTracker builtIn;
    private final Object lock = new Object();
    /** Written under {@code lock}, read without it. */
    private volatile Attached[] attached = NONE;
    /** Guarded by {@code lock}. */
    private boolean closed;

    /**
     * @param pool the pool's name, for the log
     * @param builtIn the built-in tracker: called first, and the only one asked for latencies
     */
    public TrackerFanOut(String pool, MetricsTracker builtIn) {
        this.pool = pool;
        this.builtIn = builtIn;
    }

    /** An outcome of the public SPI with its transport kind, one per internal kind name. */
    record Kind(RequestOutcome outcome, FailureKind kind) {
    }

    private static Map<String, Kind> kinds() {
        Map<String, Kind> m = new HashMap<>();
        for (RequestOutcome o : RequestOutcome.values()) {
            if (o != RequestOutcome.SUCCESS && o != RequestOutcome.TRANSPORT) {
                m.put(o.name().toLowerCase(Locale.ROOT), new Kind(o, null));
            }
        }
        for (FailureKind k : FailureKind.values()) {
            m.put(k.name().toLowerCase(Locale.ROOT), new Kind(RequestOutcome.TRANSPORT, k));
        }
        return Map.copyOf(m);
    }

    /** @return the public outcome of an internal kind name ({@code null} is success, an unknown name {@code OTHER}) */
    static Kind kindOf(String failureKind) {
        if (failureKind == null) {
            return SUCCESS;
        }
        return KINDS.getOrDefault(failureKind, OTHER);
    }

    /**
     * Makes a tracker with {@code factory} and attaches it. A factory that throws, or returns {@code null}, is logged
     * and nothing is attached; after {@link #close()} the factory is not called.
     *
     * @param factory the factory
     * @param view the pool as its users see it, for the factory
     * @return closing it detaches the tracker and closes it; idempotent
     */
    public AutoCloseable attach(PoolMetricsTrackerFactory factory, ConnectionPool view) {
        synchronized (lock) {
            if (closed) {
                return () -> { };
            }
        }
        PoolMetricsTracker tracker;
        try {
            tracker = factory.create(view);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // anything else, checked exceptions thrown sneakily included: the pool starts anyway
            LOG.warn("{} - the metrics tracker factory {} failed; the pool runs without its tracker", pool, factory, e);
            return () -> { };
        }
        if (tracker == null) {
            LOG.warn("{} - the metrics tracker factory {} made no tracker (null)", pool, factory);
            return () -> { };
        }
        Attached a = new Attached(tracker, new LoopGuard(pool, "metrics tracker " + tracker));
        synchronized (lock) {
            if (!closed) {
                Attached[] now = attached;
                Attached[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = a;
                attached = next;
                return () -> detach(a);
            }
        }
        a.close(); // the pool closed while the factory worked
        return () -> { };
    }

    private void detach(Attached a) {
        synchronized (lock) {
            Attached[] now = attached;
            int i = Arrays.asList(now).indexOf(a);
            if (i < 0) {
                return; // detached already, or closed with the pool
            }
            Attached[] next = new Attached[now.length - 1];
            System.arraycopy(now, 0, next, 0, i);
            System.arraycopy(now, i + 1, next, i, now.length - i - 1);
            attached = next;
        }
        a.close();
    }

    /** @return how many public trackers are attached */
    public int attachedCount() {
        return attached.length;
    }

    @Override
    public void requestCompleted(long nanos, String failureKind) {
        builtIn.requestCompleted(nanos, failureKind);
        Attached[] all = attached;
        if (all.length == 0) {
            return;
        }
        Kind k = kindOf(failureKind);
        for (Attached a : all) {
            try {
                a.tracker.requestCompleted(nanos, k.outcome(), k.kind());
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void tryCompleted(int node, long nanos, boolean failed) {
        builtIn.tryCompleted(node, nanos, failed);
        for (Attached a : attached) {
            try {
                a.tracker.tryCompleted(node, nanos, failed);
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void leaseWaited(long nanos) {
        builtIn.leaseWaited(nanos);
        for (Attached a : attached) {
            try {
                a.tracker.leaseWaited(nanos);
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void retried() {
        builtIn.retried();
        for (Attached a : attached) {
            try {
                a.tracker.retried();
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void retryRejected() {
        builtIn.retryRejected();
        for (Attached a : attached) {
            try {
                a.tracker.retryRejected();
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void connectionOpened(int node) {
        builtIn.connectionOpened(node);
        for (Attached a : attached) {
            try {
                a.tracker.connectionOpened(node);
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void connectionDiscarded(int node) {
        builtIn.connectionDiscarded(node);
        for (Attached a : attached) {
            try {
                a.tracker.connectionClosed(node);
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public void circuitChanged(int node, CircuitState to) {
        builtIn.circuitChanged(node, to);
        for (Attached a : attached) {
            try {
                a.tracker.circuitChanged(node, to);
            } catch (Throwable e) {
                a.failed(e);
            }
        }
    }

    @Override
    public double[] nodeLatencyMillis(int node) {
        return builtIn.nodeLatencyMillis(node);
    }

    /** Closes the built-in tracker and every attached one; later attachments attach nothing. */
    @Override
    public void close() {
        Attached[] all;
        synchronized (lock) {
            closed = true;
            all = attached;
            attached = NONE;
        }
        builtIn.close();
        for (Attached a : all) {
            a.close();
        }
    }

    /** An attached tracker and the guard that logs what it throws. */
    private static final class Attached {
        final PoolMetricsTracker tracker;
        final LoopGuard guard;

        Attached(PoolMetricsTracker tracker, LoopGuard guard) {
            this.tracker = tracker;
            this.guard = guard;
        }

        void failed(Throwable e) {
            if (e instanceof VirtualMachineError vm) {
                throw vm; // out of memory, stack overflow: not the tracker's to swallow
            }
            guard.failed(e);
        }

        void close() {
            try {
                tracker.close();
            } catch (Throwable e) {
                failed(e);
            }
        }
    }
}
