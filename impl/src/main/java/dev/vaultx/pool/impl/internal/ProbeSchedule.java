package dev.vaultx.pool.impl.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * When each node is probed next: every {@code interval} less up to 10 % jitter (so nodes and pools do
 * not probe in lockstep), every {@link #FAST} while no active node is known, and soon after
 * {@link #hurry(long)}. A function of the time it is given.
 *
 * <p>Thread-safe: the probe times are guarded by {@code this}; probes are started outside the lock.
 */
final class ProbeSchedule {

    /** Probe period while no active node is known (a leader election is under way). */
    static final long FAST = Duration.ofMillis(250).toNanos();
    /** How soon a hurried probe runs. */
    static final long SOON = Duration.ofMillis(20).toNanos();

    private final long interval;
    // @GuardedBy("this")
    private final long[] next;
    // @GuardedBy("this")
    private boolean started;

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
                    next[i] = now + period(electing);
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

    /** Brings every node's next probe forward to within {@link #SOON}. */
    synchronized void hurry(long now) {
        for (int i = 0; i < next.length; i++) {
            if (next[i] - now > SOON) {
                next[i] = now + SOON;
            }
        }
    }

    private long period(boolean electing) {
        if (electing) {
            return Math.min(FAST, interval);
        }
        long jitter = (long) (interval * 0.1 * ThreadLocalRandom.current().nextDouble());
        return interval - jitter;
    }
}
