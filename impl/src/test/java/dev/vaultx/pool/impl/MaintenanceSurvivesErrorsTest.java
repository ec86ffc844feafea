package dev.vaultx.pool.impl;

import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probe loop and the idle maintenance survive any {@link Throwable}. The failing piece is injected through the
 * pool's ticker: it throws an {@link Error} the first few times the health monitor's tick or the idle maintenance
 * asks it the time. Before, both loops caught only {@code RuntimeException}: the first Error ended probing (or
 * eviction) for good, and nothing was logged.
 */
class MaintenanceSurvivesErrorsTest {

    private static final int FAILURES = 3;

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void probingAndEvictionGoOnAfterErrorsWhichAreLoggedOncePerCause() throws Exception {
        cluster = SimulatedVaultCluster.start(1);
        cluster.put("app", Map.of("k", "v"));
        FailingTicker ticker = new FailingTicker();
        long logOffset = TestLogs.offset();
        pool = AsyncHttpConnectionPool.builder(TestPools.config(cluster).size(2)
                        .healthCheckInterval(Duration.ofMillis(200)).healthCheckTimeout(Duration.ofMillis(500))
                        .maxIdleTime(Duration.ofMillis(800)).build())
                .ticker(ticker).start();
        pool.awaitReady(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> ticker.tickFailures.get() == FAILURES
                && ticker.maintenanceFailures.get() == FAILURES);
        long probes = probes();
        // probing goes on: the guard retries a failed tick after 1 s, then the regular interval applies
        await().atMost(Duration.ofSeconds(5)).until(() -> probes() >= probes + 3);
        // eviction goes on: the prewarmed connections, idle since the start, are closed after maxIdleTime
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().nodes().get(0).totalConnections() == 0);

        String log = TestLogs.appendedSince(logOffset);
        assertThat(count(log, "ERROR dev.vaultx.pool.impl.internal.LoopGuard - " + pool.name() + " - health probing failed"))
                .as("ERROR lines of the probe loop").isEqualTo(1);
        assertThat(count(log, "ERROR dev.vaultx.pool.impl.internal.LoopGuard - " + pool.name() + " - idle maintenance failed"))
                .as("ERROR lines of the idle maintenance").isEqualTo(1);
    }

    private long probes() {
        return cluster.node(0).requestCount("/v1/sys/health");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** The system ticker, except that it throws an Error the first {@link #FAILURES} times each loop asks it. */
    private static final class FailingTicker implements LongSupplier {
        final AtomicInteger tickFailures = new AtomicInteger();
        final AtomicInteger maintenanceFailures = new AtomicInteger();

        @Override
        public long getAsLong() {
            String caller = StackWalker.getInstance().walk(frames -> frames.limit(4)
                    .map(f -> f.getClassName() + "." + f.getMethodName())
                    .filter(n -> n.endsWith("HealthMonitor.tick") || n.endsWith("PoolCore.maintain"))
                    .findFirst().orElse(""));
            AtomicInteger failures = caller.endsWith("tick") ? tickFailures : caller.endsWith("maintain") ? maintenanceFailures : null;
            if (failures != null && failures.getAndUpdate(n -> Math.min(n + 1, FAILURES)) < FAILURES) {
                throw new AssertionError("injected: the clock broke");
            }
            return System.nanoTime();
        }
    }
}
