package dev.vaultx.pool.impl.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests under way: the {@link TimeoutSweeper} looks through them for timeouts, and
 * {@code close()} completes those it did not wait for. Added once when a request starts and removed
 * once when it finishes, on the hot path: an intrusive doubly linked list per stripe, the stripe
 * picked by the adding thread, so that adding and removing allocate nothing and rarely meet another
 * thread on the same lock.
 *
 * <p>This class is thread-safe: each stripe's links are guarded by that stripe's monitor.
 */
final class LiveRequests {

    /** One list. Its monitor guards {@link #head} and the links of every entry in it. */
    private static final class Stripe {
        // @GuardedBy("this")
        private Entry head;
        // @GuardedBy("this")
        private int size;
    }

    /**
     * What a request carries to be listed: its links, guarded by its stripe's monitor. A request is in at most
     * one list at a time.
     */
    abstract static class Entry {
        // @GuardedBy("stripe")
        private Entry prev;
        // @GuardedBy("stripe")
        private Entry next;
        /** The stripe this entry was added to, or {@code null} while not listed; written under that stripe's lock. */
        private volatile Stripe stripe;

        /** Completes the request now because the pool closed under it. */
        abstract void abortOnClose();

        /**
         * @param now the current ticker time
         * @return whether a timeout of this request has passed; called under a stripe's lock, so it only reads
         */
        abstract boolean isDue(long now);

        /** Acts on the timeouts that have passed (fails the request or ends its try); called outside any lock. */
        abstract void onTimeout(long now);
    }

    private final Stripe[] stripes;
    private final int mask;

    LiveRequests() {
        int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1;
        stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe();
        }
        mask = n - 1;
    }

    void add(Entry e) {
        Stripe s = stripes[(int) Thread.currentThread().getId() & mask];
        synchronized (s) {
            e.stripe = s;
            e.prev = null;
            e.next = s.head;
            if (s.head != null) {
                s.head.prev = e;
            }
            s.head = e;
            s.size++;
        }
    }

    /** Removes an entry added before; removing one not listed (or twice) does nothing. */
    void remove(Entry e) {
        Stripe s = e.stripe;
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (e.stripe != s) {
                return;
            }
            if (e.prev != null) {
                e.prev.next = e.next;
            } else {
                s.head = e.next;
            }
            if (e.next != null) {
                e.next.prev = e.prev;
            }
            e.prev = null;
            e.next = null;
            e.stripe = null;
            s.size--;
        }
    }

    /** @return the entries listed at this moment, stripe by stripe; taken under each stripe's lock, used outside it */
    List<Entry> snapshot() {
        List<Entry> all = new ArrayList<>();
        for (Stripe s : stripes) {
            synchronized (s) {
                for (Entry e = s.head; e != null; e = e.next) {
                    all.add(e);
                }
            }
        }
        return all;
    }

    /** @return the entries whose timeout has passed at {@code now}, looked at under each stripe's lock */
    List<Entry> due(long now) {
        List<Entry> due = null;
        for (Stripe s : stripes) {
            synchronized (s) {
                for (Entry e = s.head; e != null; e = e.next) {
                    if (e.isDue(now)) {
                        if (due == null) {
                            due = new ArrayList<>();
                        }
                        due.add(e);
                    }
                }
            }
        }
        return due == null ? List.of() : due;
    }

    /** @return whether no entry is listed */
    boolean isEmpty() {
        for (Stripe s : stripes) {
            synchronized (s) {
                if (s.head != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return how many entries are listed (a sum over stripes, not atomic as a whole) */
    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }
}
