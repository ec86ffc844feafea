package dev.vaultx.pool.impl;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.TestPools.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link PoolListener} that blocks for 2 s holds up no deadline: events are delivered on the pool's worker
 * threads, not on the timer that ends requests at their deadline (nor on an I/O thread).
 */
class SlowListenerTest {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(600);
    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final long ALLOWED_LATENESS_MS = 20;

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void aListenerSleepingTwoSecondsDelaysNoDeadline() throws Exception {
        cluster = SimulatedVaultCluster.start(1);
        pool = TestPools.startReady(TestPools.config(cluster).size(10).maxOverflow(2)
                .attemptTimeout(ATTEMPT_TIMEOUT).circuitBreakerFailureThreshold(1).build(), cluster);
        long[] listenerAsleepAt = new long[1];
        CountDownLatch sleeping = new CountDownLatch(1);
        List<String> listenerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        pool.addListener(new PoolListener() {
            @Override
            public void onCircuitStateChange(String p, URI node, CircuitState from, CircuitState to) {
                listenerThreads.add(Thread.currentThread().getName());
                listenerAsleepAt[0] = System.nanoTime();
                sleeping.countDown();
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // the node never answers. The first read's try expires after attemptTimeout, found by the timer's sweep:
        // that opens the node's breaker and so calls the listener. The reads sent meanwhile are stuck on the node
        // too, with deadlines that pass after that and before their own attemptTimeout
        cluster.node(0).blackhole();
        pool.requestAsync(VaultRequest.get("/v1/secret/data/app").token(TOKEN).build());
        await().atMost(Duration.ofSeconds(2)).until(() -> cluster.node(0).requestCount("/v1/secret") == 1);
        await().pollDelay(ATTEMPT_TIMEOUT.dividedBy(2)).atMost(ATTEMPT_TIMEOUT).until(() -> true);

        VaultRequest shortDeadline = VaultRequest.get("/v1/secret/data/app").token(TOKEN).timeout(DEADLINE).build();
        List<long[]> sentAndEnded = new ArrayList<>();
        List<Throwable> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long[] times = {System.nanoTime(), 0};
            sentAndEnded.add(times);
            all.add(pool.requestAsync(shortDeadline).whenComplete((r, e) -> {
                times[1] = System.nanoTime();
                outcomes.add(e == null ? new AssertionError("answered: " + r.status()) : e);
            }));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> all.stream().allMatch(CompletableFuture::isDone));

        assertThat(sleeping.getCount()).as("listener called").isZero();
        assertThat(sentAndEnded).allSatisfy(t -> assertThat(t[1]).as("listener asleep before the deadline").isGreaterThan(
                listenerAsleepAt[0]));
        assertThat(outcomes).hasSize(8).allMatch(e -> e instanceof RequestTimeoutException, "a RequestTimeoutException");
        long worst = Long.MIN_VALUE;
        for (long[] t : sentAndEnded) {
            worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(t[1] - t[0]) - DEADLINE.toMillis());
        }
        System.out.printf("measured: with a listener asleep for 2 s, 8 deadlines of %d ms fired at most %d ms late%n",
                DEADLINE.toMillis(), worst);
        assertThat(worst).isLessThanOrEqualTo(ALLOWED_LATENESS_MS);
        assertThat(listenerThreads).allMatch(n -> n.contains("-worker-"));
    }
}
