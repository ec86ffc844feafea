package dev.vaultx.pool.impl.internal;

import java.time.Duration;

/**
 * Closes connections the pool no longer needs, in two sweeps:
 * <ul>
 *   <li>every tenth of {@code maxIdleTime} (between 100 ms and 10 s), connections idle for longer than
 *       {@code maxIdleTime} are closed;</li>
 *   <li>at least once a second, each node that has not needed more than {@code size} connections for
 *       {@code overflowIdleTimeout} has its idle connections above {@code size} closed, so the pool
 *       shrinks back to {@code size} soon after load drops, and never while the overflow is in use.</li>
 * </ul>
 * A function of the time it is given: {@link #run(long)} returns the delay until the next sweep, and
 * the scheduler is a thin shell around it.
 *
 * <p>Not thread-safe: run by the pool's single timer thread.
 */
final class IdleMaintenance {

    /** What a sweep does to the connections; the transport in production, a recorder in tests. */
    interface Sweeper {
        /** Closes connections idle for longer than {@code maxIdle}. */
        void closeIdleOlderThan(Duration maxIdle);

        /**
         * Closes idle connections above {@code size} on every node whose overflow was last needed at or
         * before {@code cutoffNanos} (ticker time); see {@link #overflowToClose}.
         */
        void trimOverflow(long cutoffNanos);
    }

    private static final long MS = 1_000_000L;

    private final Sweeper sweeper;
    private final long maxIdleNanos;
    private final long sweepPeriodNanos;
    private final long overflowIdleNanos;
    private final long trimPeriodNanos;
    private boolean started;
    private long nextSweep;
    private long nextTrim;

    IdleMaintenance(Sweeper sweeper, Duration maxIdleTime, Duration overflowIdleTimeout) {
        this.sweeper = sweeper;
        this.maxIdleNanos = maxIdleTime.toNanos();
        this.sweepPeriodNanos = periodFor(maxIdleTime);
        this.overflowIdleNanos = overflowIdleTimeout.toNanos();
        this.trimPeriodNanos = trimPeriodFor(overflowIdleTimeout);
    }

    /** A sweep every tenth of {@code maxIdleTime}, between 100 ms and 10 s: a connection closes at most that late. */
    static long periodFor(Duration maxIdleTime) {
        long tenth = maxIdleTime.toNanos() / 10;
        return Math.max(100 * MS, Math.min(10_000 * MS, tenth));
    }

    /** An overflow check every fifth of {@code overflowIdleTimeout}, between 10 ms and 1 s. */
    static long trimPeriodFor(Duration overflowIdleTimeout) {
        long fifth = overflowIdleTimeout.toNanos() / 5;
        return Math.max(10 * MS, Math.min(1_000 * MS, fifth));
    }

    /**
     * How many of a node's idle connections an overflow trim closes.
     *
     * @param total the node's connections, leased and idle
     * @param idle its idle connections
     * @param size the pool's {@code size}
     * @param lastOverflowNanos ticker time the node last had more than {@code size} connections leased
     * @param cutoffNanos now minus {@code overflowIdleTimeout}
     * @return 0 if the overflow was needed after the cutoff, else the idle connections above {@code size}
     */
    static int overflowToClose(int total, int idle, int size, long lastOverflowNanos, long cutoffNanos) {
        if (lastOverflowNanos - cutoffNanos > 0) {
            return 0;
        }
        return Math.max(0, Math.min(total - size, idle));
    }

    /**
     * Runs the sweeps due at {@code nowNanos}.
     *
     * @return nanoseconds until this method should run again
     */
    long run(long nowNanos) {
        if (!started) {
            started = true;
            nextSweep = nowNanos + sweepPeriodNanos;
            nextTrim = nowNanos + trimPeriodNanos;
        } else {
            if (nowNanos - nextSweep >= 0) {
                sweeper.closeIdleOlderThan(Duration.ofNanos(maxIdleNanos));
                nextSweep = nowNanos + sweepPeriodNanos;
            }
            if (nowNanos - nextTrim >= 0) {
                sweeper.trimOverflow(nowNanos - overflowIdleNanos);
                nextTrim = nowNanos + trimPeriodNanos;
            }
        }
        return Math.min(nextSweep - nowNanos, nextTrim - nowNanos);
    }
}
