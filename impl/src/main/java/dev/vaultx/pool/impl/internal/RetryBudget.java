package dev.vaultx.pool.impl.internal;

/**
 * Limits retries to a share of the requests seen over the last ten seconds, plus a minimum per
 * second (Finagle's RetryBudget), so that an outage cannot multiply the load on a cluster. A pure
 * function of the time and request count it is given.
 *
 * <p>This class is thread-safe; one short lock guards its ring of one-second slots and is taken on
 * the retry path only.
 */
final class RetryBudget {

    static final int WINDOW_SECONDS = 10;

    private final double ratio;
    private final int minPerSecond;
    private final Object lock = new Object();
    // @GuardedBy("lock")
    private final long[] second = new long[WINDOW_SECONDS];
    // @GuardedBy("lock")
    private final long[] requestsAtStart = new long[WINDOW_SECONDS];
    // @GuardedBy("lock")
    private final int[] retries = new int[WINDOW_SECONDS];

    RetryBudget(double ratio, int minPerSecond) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    /**
     * Notes the request count at the start of the current second, so that the ratio covers every
     * request of the window and not only those since the first retry. Called once a second.
     *
     * @param nowNanos the current ticker time
     * @param totalRequests requests accepted by the pool so far (monotonic)
     */
    void observe(long nowNanos, long totalRequests) {
        synchronized (lock) {
            slot(nowNanos, totalRequests);
        }
    }

    /** @return the slot of the second {@code nowNanos} falls in, started with {@code totalRequests} if new */
    // @GuardedBy("lock")
    private int slot(long nowNanos, long totalRequests) {
        long sec = Math.floorDiv(nowNanos, 1_000_000_000L);
        int slot = (int) Math.floorMod(sec, (long) WINDOW_SECONDS);
        if (second[slot] != sec) {
            second[slot] = sec;
            requestsAtStart[slot] = totalRequests;
            retries[slot] = 0;
        }
        return slot;
    }

    /**
     * Takes one retry from the budget if there is one.
     *
     * @param nowNanos the current ticker time
     * @param totalRequests requests accepted by the pool so far (monotonic)
     * @return {@code true} if the retry may go ahead
     */
    boolean tryAcquire(long nowNanos, long totalRequests) {
        long sec = Math.floorDiv(nowNanos, 1_000_000_000L);
        synchronized (lock) {
            int slot = slot(nowNanos, totalRequests);
            long oldest = totalRequests;
            int used = 0;
            for (int i = 0; i < WINDOW_SECONDS; i++) {
                if (second[i] != Long.MIN_VALUE && sec - second[i] < WINDOW_SECONDS) {
                    oldest = Math.min(oldest, requestsAtStart[i]);
                    used += retries[i];
                }
            }
            double allowed = (double) minPerSecond * WINDOW_SECONDS + ratio * (totalRequests - oldest);
            if (used + 1 > allowed) {
                return false;
            }
            retries[slot]++;
            return true;
        }
    }
}
