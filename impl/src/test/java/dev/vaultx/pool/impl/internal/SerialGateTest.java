package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SerialGate}: steps never overlap, none is lost, each thread's steps keep their order, no re-entrance. */
class SerialGateTest {

    @Test
    void stepsFromManyThreadsNeverOverlapAndAllRunInEachThreadsOrder() throws Exception {
        SerialGate gate = new SerialGate();
        int threads = 4;
        int perThread = 20_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] lastSeen = new int[threads];
        int[] outOfOrder = new int[1];
        int[] ran = new int[1]; // only written inside the gate: no overlap means no lost update
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 1; i <= perThread; i++) {
                    int seq = i;
                    Runnable step = () -> {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        if (lastSeen[id] != seq - 1) {
                            outOfOrder[0]++;
                        }
                        lastSeen[id] = seq;
                        ran[0]++;
                        inside.decrementAndGet();
                    };
                    // every third step tries the allocation-free entry first, as the request path does
                    if (seq % 3 == 0 && gate.tryEnter()) {
                        try {
                            step.run();
                        } finally {
                            gate.exit();
                        }
                    } else {
                        gate.execute(step);
                    }
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(overlaps).hasValue(0);
        assertThat(outOfOrder[0]).isZero();
        assertThat(ran[0]).isEqualTo(threads * perThread);
    }

    @Test
    void aStepSubmittedFromInsideAStepRunsAfterItNotInsideIt() {
        SerialGate gate = new SerialGate();
        List<String> log = new ArrayList<>();
        gate.execute(() -> {
            log.add("first begins");
            gate.execute(() -> log.add("second"));
            log.add("first ends");
        });

        assertThat(log).containsExactly("first begins", "first ends", "second");
    }

    @Test
    void aFailingStepDoesNotStopTheOnesAfterIt() {
        List<String> log = new ArrayList<>();
        SerialGate gate = new SerialGate() {
            @Override
            void onStepFailed(Throwable e) {
                log.add("failed: " + e.getMessage());
            }
        };
        gate.execute(() -> {
            gate.execute(() -> log.add("after"));
            throw new IllegalStateException("boom");
        });

        assertThat(log).containsExactly("failed: boom", "after");
    }

    @Test
    void executeOnRunsTheStepsOnTheExecutorWhenTheGateIsFree() throws Exception {
        SerialGate gate = new SerialGate();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "gate-worker"));
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        gate.executeOn(worker, () -> {
            threads.add(Thread.currentThread().getName());
            done.countDown();
        });
        gate.executeOn(worker, () -> {
            threads.add(Thread.currentThread().getName());
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        worker.shutdownNow();

        assertThat(threads).containsOnly("gate-worker");
    }
}
