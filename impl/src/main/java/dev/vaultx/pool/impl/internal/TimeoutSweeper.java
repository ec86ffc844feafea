package dev.vaultx.pool.impl.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the requests whose deadline, or whose current try's {@code attemptTimeout}, has passed: every
 * {@link #TICK} while requests are under way it looks at each one in {@link LiveRequests}, which lists
 * them anyway (for {@code close()}). A request thus costs no timer task of its own: scheduling and
 * cancelling one per request (a lock and a heap operation each) was the pool's largest cost on the
 * timer. {@code PooledConnection} exchanges are listed there too ({@link SweptDeadline}). Timeouts fire up to
 * one tick late. With no request under way the sweeper does not run.
 *
 * <p>This class is thread-safe. The timer thread only finds the timed-out requests: ending one completes its
 * future, which runs the caller's callbacks, so that is handed to the worker (a request at most once until it
 * has been looked at there), and nothing a caller or listener does can hold up the next sweep.
 */
final class TimeoutSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(TimeoutSweeper.class);

    /** How often requests are looked at while any are under way: the most a timeout fires late. */
    static final long TICK = Duration.ofMillis(10).toNanos();

    private final LiveRequests live;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.Executor worker;
    private final Ticker ticker;
    private final String pool;
    /** Whether a sweep is scheduled (or running and about to decide). */
    private final AtomicBoolean running = new AtomicBoolean();

    TimeoutSweeper(LiveRequests live, ScheduledExecutorService scheduler, java.util.concurrent.Executor worker, Ticker ticker,
                   String pool) {
        this.live = live;
        this.scheduler = scheduler;
        this.worker = worker;
        this.ticker = ticker;
        this.pool = pool;
    }

    /**
     * Makes sure a sweep is coming; called after a request was added to the live list. A volatile read when
     * the sweeper already runs.
     *
     * @return {@code false} if the scheduler is shut down (the pool is closing)
     */
    boolean ensureRunning() {
        if (running.get() || !running.compareAndSet(false, true)) {
            return true;
        }
        return schedule();
    }

    private boolean schedule() {
        try {
            scheduler.schedule(this::sweep, TICK, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException shutDown) {
            running.set(false);
            return false;
        }
    }

    private void sweep() {
        try {
            long now = ticker.nanoTime();
            List<LiveRequests.Entry> due = live.due(now);
            for (LiveRequests.Entry e : due) {
                if (e.markTimeoutQueued()) {
                    hand(e, now);
                }
            }
        } catch (RuntimeException ex) {
            LOG.warn("{} - looking for timed-out requests failed", pool, ex);
        } finally {
            next(); // whatever happened, the next sweep comes: without it no request would ever time out
        }
    }

    private void hand(LiveRequests.Entry e, long now) {
        Runnable end = () -> {
            try {
                e.onTimeout(now);
            } catch (RuntimeException ex) {
                LOG.warn("{} - ending a timed-out request failed", pool, ex);
            } finally {
                e.clearTimeoutQueued(); // after: a request is never acted on by two threads at once
            }
        };
        try {
            worker.execute(end);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            end.run();
        }
    }

    /** Schedules the next sweep, or stops while no request is under way. */
    private void next() {
        if (live.isEmpty()) {
            running.set(false);
            // a request added between the check and the reset saw "running" and relies on this sweeper
            if (live.isEmpty() || !running.compareAndSet(false, true)) {
                return;
            }
        }
        schedule();
    }
}
