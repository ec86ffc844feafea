package dev.vaultx.pool.impl.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deadline that the pool's {@link TimeoutSweeper} expires, as an entry of {@link LiveRequests}: no timer task
 * each. Used for {@link LeasedConnection} exchanges, health probes ({@link HealthMonitor}), the lease waits of
 * {@code getConnection} and prewarm ({@link PoolCore}), and the delayed tasks of {@link PoolRuntime#later}. It is
 * due once the ticker reaches {@code deadlineNanos} while unsettled; the sweeper then settles it and runs the
 * expiry action. Whatever ends the wait first (response, grant, failure, cancellation,
 * expiry) wins {@link #settle()}; the others are ignored.
 *
 * <p>This class is thread-safe. The expiry action runs on the sweeper's worker, at most once, and not if the
 * deadline was settled before. At {@code close()} nothing is done: closing the pool ends what waits (the
 * connections are closed, the queued lease waits cancelled).
 */
final class SweptDeadline extends LiveRequests.Entry {

    private final LiveRequests live;
    private final long deadlineNanos;
    private final Runnable onExpiry;
    private final AtomicBoolean settled = new AtomicBoolean();

    /**
     * @param live          where the entry is listed; it removes itself once settled
     * @param deadlineNanos ticker time (nanoseconds) at which the wait expires
     * @param onExpiry      ends what waits with a timeout; runs at most once
     */
    SweptDeadline(LiveRequests live, long deadlineNanos, Runnable onExpiry) {
        this.live = live;
        this.deadlineNanos = deadlineNanos;
        this.onExpiry = onExpiry;
    }

    /**
     * Settles the deadline and stops watching it.
     *
     * @return {@code true} for the first caller only: the one that is to complete what waited
     */
    boolean settle() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        live.remove(this);
        return true;
    }

    /** @return whether the deadline was settled (by its owner or by expiring) */
    boolean isSettled() {
        return settled.get();
    }

    @Override
    boolean isDue(long now) {
        return !settled.get() && now - deadlineNanos >= 0;
    }

    @Override
    void onTimeout(long now) {
        if (settle()) {
            onExpiry.run();
        }
    }

    @Override
    void abortOnClose() {
        // the pool closes the connections and cancels the queued lease waits, which ends what this one watches
    }
}
