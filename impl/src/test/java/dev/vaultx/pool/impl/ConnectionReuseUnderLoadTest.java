package dev.vaultx.pool.impl;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.metrics.MetricNames;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pool keeps its connections under steady load at the defaults a user starts with ({@code size} 10,
 * {@code maxOverflow} 5): a returned connection goes to the next waiting request instead of being closed
 * and reopened. Proven with the node's connection counters, not with timings.
 */
class ConnectionReuseUnderLoadTest {

    private static final Duration LOAD = Duration.ofMillis(1500);

    private static SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.builder().nodes(1).journal(false).start();
        cluster.put("app", java.util.Map.of("password", "s3cret"));
    }

    @AfterAll
    static void stopCluster() {
        Closing.closeAll(cluster);
    }

    @AfterEach
    void closePool() {
        Closing.closeAll(pool);
    }

    @ParameterizedTest(name = "{0} requests in flight")
    @ValueSource(ints = {11, 15, 64})
    void steadyLoadAtTheDefaultsOpensAtMostSizePlusMaxOverflowConnections(int inFlight) {
        MetricRegistry registry = new MetricRegistry();
        PoolConfig config = PoolConfig.builder().name(TestPools.uniqueName("reuse")).nodeUris(cluster.urls()).build();
        assertThat(config.size()).as("the defaults").isEqualTo(10);
        assertThat(config.maxOverflow()).isEqualTo(5);
        pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start();
        pool.awaitReady(TestPools.READY);

        ClosedLoop loop = new ClosedLoop(pool, read("app"), inFlight);
        loop.runFor(LOAD);

        NodeStats node = pool.stats().nodes().get(0);
        assertThat(loop.failed.get()).isZero();
        assertThat(loop.succeeded.get()).as("a steady load was driven").isGreaterThan(inFlight * 20L);
        assertThat(node.connectionsOpened())
                .as("connections opened over %d requests at %d in flight", loop.succeeded.get(), inFlight)
                .isLessThanOrEqualTo(config.size() + config.maxOverflow());
        assertThat(node.connectionsClosed()).as("none closed while the load went on").isZero();
        Counter opened = (Counter) registry.getMetrics()
                .get(MetricNames.node(config.name(), cluster.node(0).uri(), MetricNames.NODE_CONNECTIONS_OPENED));
        assertThat(opened.getCount()).as("the connections.opened metric").isEqualTo(node.connectionsOpened());
        assertThat(node.totalConnections()).isEqualTo(Math.min(inFlight, config.size() + config.maxOverflow()));
    }

    @ParameterizedTest(name = "overflowIdleTimeout {0} ms")
    @ValueSource(ints = {5000})
    void afterLoadStopsThePoolIsBackToSizeWithinOverflowIdleTimeoutPlusOneSecond(int overflowIdleMillis) {
        Duration overflowIdle = Duration.ofMillis(overflowIdleMillis);
        PoolConfig config = PoolConfig.builder().name(TestPools.uniqueName("shrink")).nodeUris(cluster.urls()).build();
        assertThat(config.overflowIdleTimeout()).as("the default").isEqualTo(overflowIdle);
        pool = AsyncHttpConnectionPool.start(config);
        pool.awaitReady(TestPools.READY);

        ClosedLoop loop = new ClosedLoop(pool, read("app"), 64);
        loop.runFor(LOAD);
        assertThat(pool.stats().nodes().get(0).totalConnections()).isEqualTo(15);
        long stopped = System.nanoTime();

        await().atMost(overflowIdle.plusSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> pool.stats().nodes().get(0).totalConnections() == config.size());
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("the overflow is kept for overflowIdleTimeout")
                .isGreaterThanOrEqualTo(overflowIdle.minusMillis(100));
        NodeStats node = pool.stats().nodes().get(0);
        assertThat(node.idleConnections()).isEqualTo(10);
        assertThat(node.connectionsOpened()).isEqualTo(15);
        assertThat(node.connectionsClosed()).isEqualTo(5);
    }

    /** Keeps {@code inFlight} requests going, each issuing the next from its completion, until stopped. */
    private static final class ClosedLoop {
        final AsyncHttpConnectionPool pool;
        final VaultRequest request;
        final int inFlight;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong outstanding = new AtomicLong();

        ClosedLoop(AsyncHttpConnectionPool pool, VaultRequest request, int inFlight) {
            this.pool = pool;
            this.request = request;
            this.inFlight = inFlight;
        }

        void runFor(Duration load) {
            for (int i = 0; i < inFlight; i++) {
                next();
            }
            await().pollDelay(load).atMost(load.plusSeconds(1)).until(() -> true);
            running.set(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> outstanding.get() == 0);
        }

        private void next() {
            if (!running.get()) {
                return;
            }
            outstanding.incrementAndGet();
            CompletableFuture<VaultResponse> f = pool.requestAsync(request);
            f.whenComplete((r, e) -> {
                if (e == null && r.status() == 200) {
                    succeeded.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                next(); // before this one stops counting, so that none outstanding means the loop has ended
                outstanding.decrementAndGet();
            });
        }
    }
}
