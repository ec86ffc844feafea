package dev.vaultx.pool.impl.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer task of a request, due at the earlier of the request's deadline and its current
 * try's {@code attemptTimeout}. A request that completes in time costs one schedule and one cancel,
 * however many tries it makes: arming only ever moves the task earlier, and a task that fires before
 * anything is due (the try it was armed for ended and another began) arms itself again.
 *
 * <p>This class is thread-safe: the task and its due time are guarded by {@code this}; the target is
 * called outside the lock.
 */
final class RequestTimer {

    /** What the timer acts on. */
    interface Target {
        /** @return whether the request is complete (the timer then does nothing) */
        boolean isDone();

        /** The deadline passed: fail the request. */
        void onDeadline();

        /** @return the try under way, or {@code null} between tries */
        Attempt currentAttempt();
    }

    private final ScheduledExecutorService scheduler;
    private final Ticker ticker;
    private final long deadline;
    private final Target target;
    // @GuardedBy("this")
    private ScheduledFuture<?> task;
    // @GuardedBy("this")
    private long due;
    /** Tells a task that was replaced (and may already be running) from the current one. */
    // @GuardedBy("this")
    private int generation;
    // @GuardedBy("this")
    private boolean stopped;

    /**
     * @param deadline the request's deadline, ticker time
     */
    RequestTimer(ScheduledExecutorService scheduler, Ticker ticker, long deadline, Target target) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.deadline = deadline;
        this.target = target;
    }

    /**
     * Makes the task due at {@code at} (ticker time) or earlier, capped at the deadline.
     *
     * @return {@code false} if the scheduler is shut down (the pool is closing)
     */
    boolean arm(long at) {
        long when = at - deadline < 0 ? at : deadline;
        synchronized (this) {
            if (stopped || (task != null && due - when <= 0)) {
                return true;
            }
            if (task != null) {
                task.cancel(false);
            }
            int g = ++generation;
            due = when;
            try {
                task = scheduler.schedule(() -> fire(g), Math.max(0, when - ticker.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                task = null;
                return false;
            }
        }
        return true;
    }

    /** Cancels the task for good: the request is complete. */
    void stop() {
        ScheduledFuture<?> t;
        synchronized (this) {
            stopped = true;
            t = task;
            task = null;
        }
        if (t != null) {
            t.cancel(false);
        }
    }

    private void fire(int g) {
        boolean atDeadline;
        synchronized (this) {
            if (g != generation || stopped) {
                return;
            }
            task = null;
            atDeadline = due == deadline;
        }
        if (target.isDone()) {
            return;
        }
        long now = ticker.nanoTime();
        if (atDeadline || now - deadline >= 0) {
            target.onDeadline();
            return;
        }
        Attempt a = target.currentAttempt();
        if (a != null && now - a.expiresAt >= 0) {
            a.expire(); // moves on to the next try (which arms this timer for itself), or fails the request
        }
        a = target.currentAttempt();
        arm(a != null ? a.expiresAt : deadline);
    }
}
