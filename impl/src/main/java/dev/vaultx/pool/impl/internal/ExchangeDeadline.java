package dev.vaultx.pool.impl.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The deadline of one {@link LeasedConnection} exchange, as an entry of {@link LiveRequests} that the pool's
 * {@link TimeoutSweeper} expires: no timer task per exchange. It is due once the ticker reaches
 * {@code deadlineNanos} while the exchange is unsettled; the sweeper then settles it and runs the expiry action.
 * Whatever ends the exchange first (response, failure, cancellation, expiry) wins {@link #settle()}; the others
 * are ignored.
 *
 * <p>This class is thread-safe. The expiry action runs on the sweeper's worker, at most once, and not if the
 * exchange settled before. At {@code close()} nothing is done: closing the connection ends the exchange.
 */
final class ExchangeDeadline extends LiveRequests.Entry {

    private final LiveRequests live;
    private final long deadlineNanos;
    private final Runnable onExpiry;
    private final AtomicBoolean settled = new AtomicBoolean();

    /**
     * @param live          where the entry is listed; it removes itself once settled
     * @param deadlineNanos ticker time (nanoseconds) at which the exchange expires
     * @param onExpiry      ends the exchange with a timeout; runs at most once
     */
    ExchangeDeadline(LiveRequests live, long deadlineNanos, Runnable onExpiry) {
        this.live = live;
        this.deadlineNanos = deadlineNanos;
        this.onExpiry = onExpiry;
    }

    /**
     * Settles the exchange and stops watching it.
     *
     * @return {@code true} for the first caller only: the one that is to complete the exchange
     */
    boolean settle() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        live.remove(this);
        return true;
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
        // the pool closes the connection, which fails or cancels the exchange
    }
}
