package dev.vaultx.pool.impl.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The door to one node's connections: at most {@code limit} slots (connections leased, or being leased from the
 * connection manager), and the requests waiting for one, first come first served. A connection returned healthy
 * while someone waits goes straight to the first waiter, without a trip through the connection manager (HikariCP's
 * hand-off): no pool entry is released and leased again, and no chain of lease futures runs. A slot freed without a
 * connection (a failed or discarded one, a failed lease) passes to the first waiter, which then leases from the
 * connection manager. Only when nobody waits is the slot given up.
 *
 * <p>A healthy connection returned while nobody waits is kept here, idle, rather than released to the connection
 * manager: the next request takes it with its slot, again without a trip through the manager (HikariCP keeps its
 * idle connections in its own bag for the same reason). At most {@code limit} connections are held in slots or kept;
 * one more goes back to the manager, which closes it if the node is over its limit. To the manager a kept connection
 * is still leased; {@link HttpTransport} counts it as idle in the node's statistics, passivates it while kept and
 * closes it by the same rules as the manager's idle ones.
 *
 * <p>The count of slots in use plus the connections kept never falls below the connection manager's count of leased
 * entries for the node (a slot is taken before an entry is leased and given up before, or just before, the entry is
 * released or kept; a connection is leased from the manager only when none is kept), so a lease made with a free
 * slot never waits in the manager for long.
 *
 * <p>This class is thread-safe: one lock guards the count, the queue and the kept connections. Nothing is completed,
 * no listener is called and no I/O is done under it; a waiter is only claimed there ({@link Waiter#claim()}, a
 * compare-and-set), and a connection about to be kept is passivated there (a socket timeout set, no I/O), so that
 * no other thread can take it before.
 */
final class NodeSlots {

    /** One request for a slot. */
    interface Waiter {
        /** @return whether this call took the waiter out of the queue (exactly one claim succeeds) */
        boolean claim();
    }

    /** Returned by {@link #release} when the connection was kept. */
    static final Object KEPT = new Object();

    /**
     * A connection kept idle, and since when.
     *
     * @param connection the connection (to this class, any object)
     * @param sinceNanos ticker time it was returned
     */
    record Kept(Object connection, long sinceNanos) {
    }

    private final Object lock = new Object();
    // @GuardedBy("lock")
    private int inUse;
    // @GuardedBy("lock")
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** The connections kept idle, the most recently returned last (taken first: LIFO keeps few connections warm). */
    // @GuardedBy("lock")
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();

    /**
     * Takes a slot if one is free and nobody waits, else queues the waiter.
     *
     * @return {@code true} if the caller holds a slot now and should lease from the connection manager;
     *         {@code false} if the waiter was queued (it is claimed later by a release, a resize or a cancel)
     */
    boolean acquireOrQueue(Waiter w, int limit) {
        synchronized (lock) {
            if (inUse < limit && waiters.isEmpty()) {
                inUse++;
                return true;
            }
            waiters.addLast(w);
            return false;
        }
    }

    /**
     * Hands on the slot of a connection (or of a lease) that is ending: to the first waiter still waiting, or
     * back (the slot is freed) when nobody waits or more slots are in use than {@code limit} (after a shrink).
     *
     * @return the claimed waiter, which now holds the slot; {@code null} if the slot was freed
     */
    Waiter passOn(int limit) {
        synchronized (lock) {
            Waiter w = claimFirst(limit);
            if (w == null) {
                inUse--;
            }
            return w;
        }
    }

    /** @return the first waiter still waiting, claimed, if the slot may pass on (not over {@code limit}); else {@code null} */
    // @GuardedBy("lock")
    private Waiter claimFirst(int limit) {
        if (inUse <= limit) {
            Waiter w;
            while ((w = waiters.pollFirst()) != null) {
                if (w.claim()) {
                    return w;
                }
            }
        }
        return null;
    }

    /**
     * Ends a slot whose connection is returned: the slot goes to the first waiter (who then takes the connection, if it
     * is healthy), or is freed; a healthy connection of a freed slot is kept if the node holds fewer than
     * {@code limit} connections in slots and kept, and {@code passivate} accepts it.
     *
     * @param connection the returned connection if it may be used again, else {@code null}
     * @param ticker read only if the connection is kept (when it was kept): a hand-off needs no clock
     * @param passivate makes the connection ready to sit idle; {@code false} if it cannot be kept (it is gone)
     * @return the claimed waiter, which now holds the slot; {@link #KEPT} if the slot was freed and the connection
     *         kept; {@code null} if the slot was freed and the connection is the caller's to give back
     */
    Object release(int limit, Object connection, Ticker ticker, Predicate<Object> passivate) {
        synchronized (lock) {
            Waiter w = claimFirst(limit);
            if (w != null) {
                return w;
            }
            inUse--;
            if (connection != null && inUse + kept.size() < limit && passivate.test(connection)) {
                kept.addLast(new Kept(connection, ticker.nanoTime()));
                return KEPT;
            }
            return null;
        }
    }

    /** @return the most recently kept connection, no longer kept, or {@code null} if none is */
    Kept takeKept() {
        synchronized (lock) {
            return kept.pollLast();
        }
    }

    /**
     * @param max at most this many
     * @param keptBeforeNanos only connections kept at or before this ticker time (compared as
     *                        {@code sinceNanos - keptBeforeNanos <= 0}, safe across overflow)
     * @param all whether to take them whenever they were kept
     * @return the longest-kept connections that qualify, no longer kept, oldest first
     */
    List<Object> takeIdlest(int max, long keptBeforeNanos, boolean all) {
        List<Object> taken = new ArrayList<>();
        synchronized (lock) {
            while (taken.size() < max) {
                Kept k = kept.peekFirst();
                if (k == null || (!all && k.sinceNanos - keptBeforeNanos > 0)) {
                    break;
                }
                kept.pollFirst();
                taken.add(k.connection);
            }
        }
        return taken;
    }

    /** @return how many connections are kept idle */
    int keptCount() {
        synchronized (lock) {
            return kept.size();
        }
    }

    /**
     * Removes a waiter that gave up (expired or cancelled) and claimed itself.
     */
    void remove(Waiter w) {
        synchronized (lock) {
            waiters.remove(w);
        }
    }

    /**
     * Gives free slots (after the limit grew) to waiters.
     *
     * @return the waiters claimed, each holding a slot now; they should lease from the connection manager
     */
    List<Waiter> grow(int limit) {
        List<Waiter> granted = new ArrayList<>();
        synchronized (lock) {
            while (inUse < limit) {
                Waiter w = waiters.pollFirst();
                if (w == null) {
                    break;
                }
                if (w.claim()) {
                    inUse++;
                    granted.add(w);
                }
            }
        }
        return granted;
    }

    /**
     * Claims every waiter (the transport is closing).
     *
     * @return the waiters claimed; none holds a slot
     */
    List<Waiter> claimAll() {
        List<Waiter> all = new ArrayList<>();
        synchronized (lock) {
            Waiter w;
            while ((w = waiters.pollFirst()) != null) {
                if (w.claim()) {
                    all.add(w);
                }
            }
        }
        return all;
    }

    /** @return slots in use (tests and diagnostics) */
    int inUse() {
        synchronized (lock) {
            return inUse;
        }
    }

    /** @return waiters queued (tests and diagnostics) */
    int queued() {
        synchronized (lock) {
            return waiters.size();
        }
    }
}
