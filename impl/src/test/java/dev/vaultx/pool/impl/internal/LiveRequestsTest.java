package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LiveRequestsTest {

    private static final class Request extends LiveRequests.Entry {
        final AtomicInteger aborted = new AtomicInteger();

        @Override
        void abortOnClose() {
            aborted.incrementAndGet();
        }

        @Override
        boolean isDue(long now) {
            return false;
        }

        @Override
        void onTimeout(long now) {
        }
    }

    @Test
    void listsWhatWasAddedAndNotRemoved() {
        LiveRequests live = new LiveRequests();
        Request a = new Request();
        Request b = new Request();
        Request c = new Request();
        live.add(a);
        live.add(b);
        live.add(c);
        live.remove(b);

        assertThat(live.snapshot()).containsExactlyInAnyOrder(a, c);
        assertThat(live.size()).isEqualTo(2);

        live.remove(a);
        live.remove(c);
        assertThat(live.snapshot()).isEmpty();
        assertThat(live.size()).isZero();
    }

    @Test
    void removingTwiceOrWithoutAddingChangesNothing() {
        LiveRequests live = new LiveRequests();
        Request a = new Request();
        Request b = new Request();
        live.remove(a);
        live.add(a);
        live.add(b);
        live.remove(a);
        live.remove(a);

        assertThat(live.snapshot()).containsExactly(b);
        assertThat(live.size()).isEqualTo(1);
    }

    @Test
    void entriesAddedOnManyThreadsAndRemovedOnOthersAreAllAccountedFor() throws Exception {
        LiveRequests live = new LiveRequests();
        int threads = 8;
        int perThread = 20_000;
        List<List<Request>> added = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Request> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                mine.add(new Request());
            }
            added.add(mine);
            Thread th = new Thread(() -> {
                awaitQuietly(go);
                mine.forEach(live::add);
            });
            adders.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : adders) {
            th.join();
        }
        assertThat(live.size()).isEqualTo(threads * perThread);

        // each thread removes another thread's entries, and all but one of every ten
        List<Thread> removers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Request> theirs = added.get((t + 1) % threads);
            Thread th = new Thread(() -> {
                for (int i = 0; i < theirs.size(); i++) {
                    if (i % 10 != 0) {
                        live.remove(theirs.get(i));
                    }
                }
            });
            removers.add(th);
            th.start();
        }
        for (Thread th : removers) {
            th.join();
        }

        List<LiveRequests.Entry> left = live.snapshot();
        Set<LiveRequests.Entry> expected = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Request> mine : added) {
            for (int i = 0; i < mine.size(); i += 10) {
                expected.add(mine.get(i));
            }
        }
        assertThat(left).hasSize(threads * perThread / 10);
        Set<LiveRequests.Entry> leftSet = Collections.newSetFromMap(new IdentityHashMap<>());
        leftSet.addAll(left);
        assertThat(leftSet).hasSize(left.size()).isEqualTo(expected);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
