package dev.vaultx.pool.impl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests under way: the {@link TimeoutSweeper} looks through them for timeouts, and
 * {@code close()} completes those it did not wait for. Added once when a request starts and removed
 * once when it finishes, on the hot path. A {@code ConcurrentHashMap} key set: an add and a remove
 * cost about 120 ns together (JMH); striped lists under locks, tried instead, cost more.
 *
 * <p>This class is thread-safe. Looking through it is weakly consistent: an entry added or removed
 * meanwhile may or may not be seen.
 */
final class LiveRequests {

    /**
     * What a request carries to be listed. An entry is a {@link SerialGate}: the request runs its steps, timeouts
     * included, through it.
     */
    abstract static class Entry extends SerialGate {

        private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Entry> QUEUED =
                java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(Entry.class, "timeoutQueued");

        /** Set while a timeout of this entry waits to be acted on, so that the sweeper hands it on once. */
        private volatile int timeoutQueued;

        /** @return {@code true} if the caller is to hand this entry's timeout on (none was waiting) */
        final boolean markTimeoutQueued() {
            return QUEUED.compareAndSet(this, 0, 1);
        }

        /** The timeout handed on is being acted on: a later one may be handed on again. */
        final void clearTimeoutQueued() {
            timeoutQueued = 0;
        }

        /** Completes the request now because the pool closed under it. */
        abstract void abortOnClose();

        /**
         * @param now the current ticker time
         * @return whether a timeout of this request has passed; only reads
         */
        abstract boolean isDue(long now);

        /** Acts on the timeouts that have passed (fails the request or ends its try). */
        abstract void onTimeout(long now);
    }

    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();

    void add(Entry e) {
        entries.add(e);
    }

    /** Removes an entry added before; removing one not listed (or twice) does nothing. */
    void remove(Entry e) {
        entries.remove(e);
    }

    /** @return the entries listed at this moment (weakly consistent) */
    List<Entry> snapshot() {
        return new ArrayList<>(entries);
    }

    /** @return the entries whose timeout has passed at {@code now} (weakly consistent) */
    List<Entry> due(long now) {
        List<Entry> due = null;
        for (Entry e : entries) {
            if (e.isDue(now)) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(e);
            }
        }
        return due == null ? List.of() : due;
    }

    /** @return whether no entry is listed */
    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** @return how many entries are listed */
    int size() {
        return entries.size();
    }
}
