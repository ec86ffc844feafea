package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/** Completed requests leave nothing on the pool's timer (timeouts are the sweeper's, which stops when idle). */
class TimerQueueTest {

    @Test
    void completedRequestsLeaveNoTaskOnTheTimer() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(1)) {
            PoolConfig config = PoolConfig.builder().name("timer-queue").nodeUris(cluster.urls()).size(4)
                    .requestTimeout(Duration.ofSeconds(60)).healthCheckInterval(Duration.ofSeconds(60)).build();
            PoolCore core = PoolCore.start(config, Ticker.SYSTEM);
            try {
                core.awaitReady(Duration.ofSeconds(5));
                ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) core.runtime().scheduler;
                int before = timer.getQueue().size();
                CompletableFuture<?>[] all = new CompletableFuture<?>[500];
                for (int i = 0; i < all.length; i++) {
                    all[i] = core.requestAsync(VaultRequest.get("/v1/sys/leader").build());
                }
                CompletableFuture.allOf(all).join();

                // no task per request may stay queued for its 60 s deadline (once a task per request did)
                assertThat(timer.getQueue().size()).isLessThanOrEqualTo(before + 5);
            } finally {
                core.close();
            }
        }
    }
}
