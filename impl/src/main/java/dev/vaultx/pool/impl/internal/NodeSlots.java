package dev.vaultx.pool.impl.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The door to one node's connections: at most {@code limit} slots (connections leased, or being leased from the
 * connection manager), and the requests waiting for one, first come first served. A connection returned healthy
 * while someone waits goes straight to the first waiter, without a trip through the connection manager (HikariCP's
 * hand-off): no pool entry is released and leased again, and no chain of lease futures runs. A slot freed without a
 * connection (a failed or discarded one, a failed lease) passes to the first waiter, which then leases from the
 * connection manager. Only when nobody waits is the slot given up.
 *
 * <p>The count of slots in use never falls below the connection manager's count of leased entries for the node
 * (a slot is taken before an entry is leased and given up before, or just before, the entry is released), so a
 * lease made with a free slot never waits in the manager for long.
 *
 * <p>This class is thread-safe: one lock guards the count and the queue. Nothing is completed, no listener is
 * called and no I/O is done under it; a waiter is only claimed there ({@link Waiter#claim()}, a compare-and-set).
 */
final class NodeSlots {

    /** One request for a slot. */
    interface Waiter {
        /** @return whether this call took the waiter out of the queue (exactly one claim succeeds) */
        boolean claim();
    }

    private final Object lock = new Object();
    // @GuardedBy("lock")
    private int inUse;
    // @GuardedBy("lock")
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

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
            if (inUse <= limit) {
                Waiter w;
                while ((w = waiters.pollFirst()) != null) {
                    if (w.claim()) {
                        return w;
                    }
                }
            }
            inUse--;
            return null;
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
