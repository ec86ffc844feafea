package dev.vaultx.pool.impl;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing a pool while requests are in flight: every request ends (answered or {@link PoolClosedException}), and the
 * close logs no error (httpcore5's I/O threads log a {@code ClosedSelectorException} at ERROR when their selector is
 * closed under them, which an immediate close from another thread did).
 */
class CloseUnderLoadTest {

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.start(1);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @RepeatedTest(3)
    void closingUnderLoadEndsEveryRequestAndLogsNoError() throws Exception {
        long logOffset = TestLogs.offset();
        AsyncHttpConnectionPool pool = TestPools.startReady(TestPools.config(cluster).build(), cluster);
        List<CompletableFuture<VaultResponse>> all = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int i = 0; i < 64; i++) {
            all.add(loop(pool, answered));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> answered.get() > 500);

        pool.close();

        for (CompletableFuture<VaultResponse> f : all) {
            assertThat(f).succeedsWithin(Duration.ofSeconds(5)); // each loop ends with the pool's PoolClosedException
        }
        String log = TestLogs.appendedSince(logOffset);
        assertThat(log.lines().filter(l -> l.contains(" ERROR ") || l.contains("Exception")))
                .as("lines logged while the pool closed").isEmpty();
    }

    /** Requests one after another until the pool is closed; completes normally then. */
    private static CompletableFuture<VaultResponse> loop(AsyncHttpConnectionPool pool, AtomicInteger answered) {
        CompletableFuture<VaultResponse> ended = new CompletableFuture<>();
        next(pool, answered, ended);
        return ended;
    }

    private static void next(AsyncHttpConnectionPool pool, AtomicInteger answered, CompletableFuture<VaultResponse> ended) {
        pool.requestAsync(read("app")).whenComplete((r, e) -> {
            if (e == null) {
                answered.incrementAndGet();
                next(pool, answered, ended);
            } else if (e instanceof PoolClosedException || (e instanceof CompletionException && e.getCause() instanceof PoolClosedException)) {
                ended.complete(null);
            } else {
                ended.completeExceptionally(e);
            }
        });
    }
}
