package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sweeper on a real scheduler with real time (short timeouts). */
class TimeoutSweeperTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A real scheduler that counts what is scheduled on it. */
    private static final class CountingScheduler extends ScheduledThreadPoolExecutor {
        final AtomicInteger scheduled = new AtomicInteger();

        CountingScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.incrementAndGet();
            return super.schedule(command, delay, unit);
        }
    }

    /** A request due at a given ticker time; counts how often it was told. */
    private static class Request extends LiveRequests.Entry {
        final long dueAt;
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicLong toldAt = new AtomicLong();
        private final LiveRequests live;

        Request(LiveRequests live, long dueAt) {
            this.live = live;
            this.dueAt = dueAt;
        }

        @Override
        boolean isDue(long now) {
            return now - dueAt >= 0;
        }

        @Override
        void onTimeout(long now) {
            toldAt.set(now);
            timeouts.incrementAndGet();
            live.remove(this); // as a request that fails at its deadline
        }

        @Override
        void abortOnClose() {
        }
    }

    private final CountingScheduler scheduler = new CountingScheduler();
    private final LiveRequests live = new LiveRequests();
    private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> new Thread(r, "test-worker"));
    private final TimeoutSweeper sweeper = new TimeoutSweeper(live, scheduler, worker, Ticker.SYSTEM, "test");

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
        worker.shutdownNow();
    }

    @Test
    void endsEachRequestOnceWithinATickOfItsTimeout() {
        long now = Ticker.SYSTEM.nanoTime();
        Request soon = new Request(live, now + 50 * MS);
        Request later = new Request(live, now + 150 * MS);
        live.add(soon);
        live.add(later);
        assertThat(sweeper.ensureRunning()).isTrue();

        await().atMost(Duration.ofSeconds(2)).until(() -> soon.timeouts.get() == 1 && later.timeouts.get() == 1);
        assertThat(soon.toldAt.get() - soon.dueAt).isBetween(0L, 100 * MS); // a tick, plus a loaded machine's delays
        assertThat(later.toldAt.get() - later.dueAt).isBetween(0L, 100 * MS);
        assertThat(live.isEmpty()).isTrue();
    }

    @Test
    void timedOutRequestsAreEndedOnTheWorkerSoThatASlowOneHoldsUpNoSweep() {
        long now = Ticker.SYSTEM.nanoTime();
        java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Request slow = new Request(live, now) {
            @Override
            void onTimeout(long at) {
                threads.add(Thread.currentThread().getName());
                try {
                    release.await(); // a caller's callback that blocks
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onTimeout(at);
            }
        };
        live.add(slow);
        sweeper.ensureRunning();
        await().atMost(Duration.ofSeconds(2)).until(() -> threads.size() == 1);
        long sweepsBefore = scheduler.getCompletedTaskCount();

        // the timer keeps sweeping (and does not hand the blocked request on a second time)
        await().atMost(Duration.ofSeconds(2)).until(() -> scheduler.getCompletedTaskCount() >= sweepsBefore + 5);
        release.countDown();

        await().atMost(Duration.ofSeconds(2)).until(live::isEmpty);
        assertThat(threads).containsExactly("test-worker");
        assertThat(slow.timeouts).hasValue(1);
    }

    @Test
    void aRequestNotDueIsLeftAlone() {
        Request notDue = new Request(live, Ticker.SYSTEM.nanoTime() + 60_000 * MS);
        live.add(notDue);
        sweeper.ensureRunning();

        await().atMost(Duration.ofSeconds(2)).until(() -> scheduler.getCompletedTaskCount() >= 5);
        assertThat(notDue.timeouts).hasValue(0);
        assertThat(live.snapshot()).containsExactly(notDue);
    }

    @Test
    void stopsWhileNoRequestIsUnderWayAndStartsForTheNextOne() {
        for (int round = 0; round < 20; round++) {
            Request r = new Request(live, Ticker.SYSTEM.nanoTime() + 15 * MS);
            live.add(r);
            sweeper.ensureRunning();
            await().atMost(Duration.ofSeconds(2)).until(() -> r.timeouts.get() == 1);
            // idle: the sweep after the last request leaves no further sweep behind
            await().atMost(Duration.ofSeconds(2)).until(() -> scheduler.getQueue().isEmpty() && scheduler.getActiveCount() == 0);
        }
        int scheduled = scheduler.scheduled.get();
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(scheduler.scheduled).hasValue(scheduled);
    }

    @Test
    void aRequestAddedOnAnotherThreadWhileTheSweeperStopsIsStillWatched() throws Exception {
        int rounds = 300;
        Request[] all = new Request[rounds];
        Thread adder = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                Request r = new Request(live, Ticker.SYSTEM.nanoTime() + MS);
                all[i] = r;
                live.add(r);
                sweeper.ensureRunning();
                long until = System.nanoTime() + (i % 7) * MS; // vary the phase against the sweeper's ticks
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        });
        adder.start();
        adder.join();

        await().atMost(Duration.ofSeconds(10)).until(live::isEmpty);
        for (Request r : all) {
            assertThat(r.timeouts).hasValue(1);
        }
    }

    @Test
    void ensureRunningAfterTheSchedulerShutDownSaysSo() {
        scheduler.shutdownNow();
        live.add(new Request(live, Ticker.SYSTEM.nanoTime()));

        assertThat(sweeper.ensureRunning()).isFalse();
    }
}
