package dev.vaultx.pool.impl.internal;

import java.time.Duration;

/**
 * Closes idle connections: every sweep closes the connections idle for longer than
 * {@code maxIdleTime}, and trims each node's idle connections above {@code size} (left over after a
 * shrink). A function of the time it is given: {@link #run(long)} returns the delay until the next
 * sweep, and the scheduler is a thin shell around it.
 *
 * <p>Not thread-safe: run by the pool's single timer thread.
 */
final class IdleMaintenance {

    /** What a sweep does to the connections; the transport in production, a recorder in tests. */
    interface Sweeper {
        /** Closes connections idle for longer than {@code maxIdle}. */
        void closeIdleOlderThan(Duration maxIdle);

        /** Closes idle connections above the pool's size on every node. */
        void trimToSize();
    }

    private final Sweeper sweeper;
    private final long maxIdleNanos;
    private final long periodNanos;
    private long nextSweep = Long.MIN_VALUE;

    IdleMaintenance(Sweeper sweeper, Duration maxIdleTime) {
        this.sweeper = sweeper;
        this.maxIdleNanos = maxIdleTime.toNanos();
        this.periodNanos = periodFor(maxIdleTime);
    }

    /** A sweep every tenth of {@code maxIdleTime}, between 100 ms and 10 s: a connection closes at most that late. */
    static long periodFor(Duration maxIdleTime) {
        long tenth = maxIdleTime.toNanos() / 10;
        return Math.max(Duration.ofMillis(100).toNanos(), Math.min(Duration.ofSeconds(10).toNanos(), tenth));
    }

    /**
     * Sweeps if a sweep is due at {@code nowNanos}.
     *
     * @return nanoseconds until this method should run again
     */
    long run(long nowNanos) {
        if (nextSweep == Long.MIN_VALUE) {
            nextSweep = nowNanos + periodNanos;
            return periodNanos;
        }
        if (nowNanos - nextSweep < 0) {
            return nextSweep - nowNanos;
        }
        sweeper.closeIdleOlderThan(Duration.ofNanos(maxIdleNanos));
        sweeper.trimToSize();
        nextSweep = nowNanos + periodNanos;
        return periodNanos;
    }
}
