package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The one timer of a request, on a real scheduler with real time (short timeouts). */
class RequestTimerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A real scheduler that counts what is scheduled on it. */
    private static final class CountingScheduler extends ScheduledThreadPoolExecutor {
        final AtomicInteger scheduled = new AtomicInteger();

        CountingScheduler() {
            super(1);
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.incrementAndGet();
            return super.schedule(command, delay, unit);
        }
    }

    /** The request side: counts deadlines and expired tries. */
    private static final class Request implements RequestTimer.Target, Attempt.Outcomes {
        final AtomicInteger deadlines = new AtomicInteger();
        final AtomicInteger expired = new AtomicInteger();
        final AtomicReference<Attempt> current = new AtomicReference<>();
        volatile boolean done;

        Attempt newTry(long timeoutNanos) {
            Attempt a = new Attempt(this, null, null, Ticker.SYSTEM.nanoTime(), timeoutNanos);
            current.set(a);
            return a;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public void onDeadline() {
            deadlines.incrementAndGet();
            done = true;
        }

        @Override
        public Attempt currentAttempt() {
            return current.get();
        }

        @Override
        public void onTryExpired(Attempt a) {
            expired.incrementAndGet();
            current.compareAndSet(a, null);
        }

        @Override
        public void onTryResponse(Attempt a, VaultResponse response) {
            current.compareAndSet(a, null);
        }

        @Override
        public void onTryFailed(Attempt a, Exception ex) {
            current.compareAndSet(a, null);
        }

        @Override
        public void onTryCancelled(Attempt a) {
            current.compareAndSet(a, null);
        }
    }

    private final CountingScheduler scheduler = new CountingScheduler();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void aRequestWhoseTriesEndInTimeSchedulesOneTaskAndLeavesNoneBehind() {
        Request r = new Request();
        long now = Ticker.SYSTEM.nanoTime();
        RequestTimer timer = new RequestTimer(scheduler, Ticker.SYSTEM, now + 60_000 * MS, r);

        assertThat(timer.arm(now + 15_000 * MS)).isTrue();
        for (int i = 0; i < 3; i++) {
            Attempt a = r.newTry(15_000 * MS);
            timer.arm(a.expiresAt); // later than the task already due: nothing to reschedule
            a.completed(null);
        }
        timer.stop();

        assertThat(scheduler.scheduled).hasValue(1);
        assertThat(scheduler.getQueue()).isEmpty();
        assertThat(r.deadlines).hasValue(0);
    }

    @Test
    void aStuckTryExpiresAtItsAttemptTimeoutAndTheDeadlineStillFiresLater() {
        Request r = new Request();
        long now = Ticker.SYSTEM.nanoTime();
        RequestTimer timer = new RequestTimer(scheduler, Ticker.SYSTEM, now + 400 * MS, r);
        timer.arm(now + 100 * MS);
        Attempt a = r.newTry(100 * MS);
        timer.arm(a.expiresAt);

        await().atMost(Duration.ofSeconds(2)).until(a::isSettled);
        assertThat(r.expired).hasValue(1);
        assertThat(r.deadlines).hasValue(0);

        // no try under way: the timer waits for the deadline
        await().atMost(Duration.ofSeconds(2)).until(() -> r.deadlines.get() == 1);
        assertThat(Ticker.SYSTEM.nanoTime() - now).isGreaterThanOrEqualTo(400 * MS);
    }

    @Test
    void aTryStartedAfterTheTaskFiredEarlyIsWatchedFromItsOwnStart() {
        Request r = new Request();
        long now = Ticker.SYSTEM.nanoTime();
        RequestTimer timer = new RequestTimer(scheduler, Ticker.SYSTEM, now + 5_000 * MS, r);
        timer.arm(now + 50 * MS); // as at the start of a request, before its first try
        Attempt first = r.newTry(50 * MS);
        timer.arm(first.expiresAt);
        first.completed(null); // answered: the task fires anyway, finds no try, waits for the deadline

        await().atMost(Duration.ofSeconds(2)).until(() -> scheduler.scheduled.get() == 2);
        Attempt second = r.newTry(100 * MS);
        timer.arm(second.expiresAt); // earlier than the deadline: moved

        await().atMost(Duration.ofSeconds(2)).until(second::isSettled);
        assertThat(r.expired).hasValue(1);
        assertThat(Ticker.SYSTEM.nanoTime() - second.startNanos).isGreaterThanOrEqualTo(100 * MS);
        assertThat(r.deadlines).hasValue(0);
        timer.stop();
    }

    @Test
    void armingAfterTheSchedulerShutDownSaysSo() {
        Request r = new Request();
        long now = Ticker.SYSTEM.nanoTime();
        RequestTimer timer = new RequestTimer(scheduler, Ticker.SYSTEM, now + 1_000 * MS, r);
        scheduler.shutdownNow();

        assertThat(timer.arm(now + 100 * MS)).isFalse();
    }
}
