package dev.vaultx.pool.impl.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * When each node is probed next: every {@code interval} less up to 10 % jitter (so nodes and pools do
 * not probe in lockstep), every {@link #FAST} while no active node is known, and soon after
 * {@link #hurry(long)}, at most one hurried round per {@link #HURRY_GAP}. A function of the time it is
 * given.
 *
 * <p>Thread-safe: the probe times are guarded by {@code this}; probes are started outside the lock.
 */
final class ProbeSchedule {

    /** Probe period while no active node is known (a leader election is under way). */
    static final long FAST = Duration.ofMillis(250).toNanos();
    /** How soon a hurried probe runs. */
    static final long SOON = Duration.ofMillis(20).toNanos();
    /**
     * Shortest time between two hurried rounds: a burst of hints (every request failing on a dead active node,
     * every standby answering 503 during an election) probes once, not once per hint.
     */
    static final long HURRY_GAP = FAST;

    private final long interval;
    // @GuardedBy("this")
    private final long[] next;
    // @GuardedBy("this")
    private boolean started;
    /** Whether {@link #hurry(long)} has ever brought probes forward. */
    // @GuardedBy("this")
    private boolean hurried;
    /** When the last hurried round is (or was) due. */
    // @GuardedBy("this")
    private long hurriedAt;

    ProbeSchedule(int nodes, Duration interval) {
        this.interval = interval.toNanos();
        this.next = new long[nodes];
    }

    /**
     * Starts the probes that are due.
     *
     * @param now the current ticker time
     * @param electing {@code true} while no active node is known: probe every {@link #FAST}
     * @param probe starts a probe of the node with the given index
     * @return nanoseconds until this method should run again
     */
    long run(long now, boolean electing, IntConsumer probe) {
        int[] due = new int[next.length];
        int count = 0;
        long wait;
        synchronized (this) {
            if (!started) {
                // the first probes ran at start
                started = true;
                for (int i = 0; i < next.length; i++) {
                    long at = now + period(electing);
                    // a hurry before the first run stands
                    next[i] = hurried && next[i] - at < 0 ? next[i] : at;
                }
            }
            wait = Long.MAX_VALUE;
            for (int i = 0; i < next.length; i++) {
                if (electing && next[i] - now > FAST) {
                    next[i] = now + FAST;
                }
                if (next[i] - now <= 0) {
                    due[count++] = i;
                    next[i] = now + period(electing);
                }
                wait = Math.min(wait, next[i] - now);
            }
        }
        for (int i = 0; i < count; i++) {
            probe.accept(due[i]);
        }
        return Math.max(wait, Duration.ofMillis(5).toNanos());
    }

    /**
     * Brings every node's next probe forward to within {@link #SOON} (never later than it was), for a hint that
     * roles may have changed. Hints are never lost, but bunched: a hurried round still pending covers a new hint,
     * and a round is never due less than {@link #HURRY_GAP} after the previous one, so a hint that comes sooner is
     * served by a round at the end of that gap.
     *
     * @param now the current ticker time
     * @return nanoseconds until {@link #run} should run (when the earliest probe is due), at least 0
     */
    synchronized long hurry(long now) {
        if (!hurriedRoundPending(now)) {
            // a round within SOON, or at the end of the gap after the last one
            long at = now + SOON;
            if (hurried && at - hurriedAt < HURRY_GAP) {
                at = hurriedAt + HURRY_GAP;
            }
            hurried = true;
            hurriedAt = at;
            for (int i = 0; i < next.length; i++) {
                if (!started || next[i] - at > 0) {
                    next[i] = at;
                }
            }
        }
        long wait = Long.MAX_VALUE;
        for (long n : next) {
            wait = Math.min(wait, n - now);
        }
        return Math.max(0, wait);
    }

    /** @return whether a hurried round is still to come and will probe every node (none was probed since) */
    // @GuardedBy("this")
    private boolean hurriedRoundPending(long now) {
        if (!hurried || hurriedAt - now < 0) {
            return false;
        }
        for (long n : next) {
            if (n - hurriedAt > 0) {
                return false;
            }
        }
        return true;
    }

    private long period(boolean electing) {
        if (electing) {
            return Math.min(FAST, interval);
        }
        long jitter = (long) (interval * 0.1 * ThreadLocalRandom.current().nextDouble());
        return interval - jitter;
    }
}
