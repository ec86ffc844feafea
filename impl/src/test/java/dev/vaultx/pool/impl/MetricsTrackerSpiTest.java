package dev.vaultx.pool.impl;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.metrics.PoolMetricsTracker;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import dev.vaultx.pool.metrics.RequestOutcome;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The public tracker SPI on a real pool and a simulated cluster: what trackers are told, and what they cannot break. */
class MetricsTrackerSpiTest {

    private SimulatedVaultCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = SimulatedVaultCluster.start(2);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private static VaultRequest read() {
        return VaultRequest.get("/v1/secret/data/app").token(TestPools.TOKEN).build();
    }

    /** Records what the pool tells it. */
    static final class Recording implements PoolMetricsTracker {
        final String pool;
        final List<URI> nodes;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger nonPositiveDurations = new AtomicInteger();
        final AtomicInteger tries = new AtomicInteger();
        final AtomicInteger timedTries = new AtomicInteger();
        final AtomicInteger leaseWaits = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        final List<CircuitState> circuits = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();

        Recording(String pool, List<URI> nodes) {
            this.pool = pool;
            this.nodes = nodes;
        }

        @Override
        public void requestCompleted(long nanos, RequestOutcome outcome, FailureKind kind) {
            if (nanos <= 0) {
                nonPositiveDurations.incrementAndGet(); // asserted by the tests: an assertion here would be caught by the pool
            }
            requests.add(outcome + (kind == null ? "" : "/" + kind));
        }

        @Override
        public void tryCompleted(int node, long nanos, boolean failed) {
            tries.incrementAndGet();
            if (nanos >= 0) {
                timedTries.incrementAndGet();
            }
        }

        @Override
        public void leaseWaited(long nanos) {
            leaseWaits.incrementAndGet();
        }

        @Override
        public void connectionOpened(int node) {
            opened.incrementAndGet();
        }

        @Override
        public void circuitChanged(int node, CircuitState to) {
            circuits.add(to);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    /** Throws from every method. */
    static final class Throwing implements PoolMetricsTracker {
        final AtomicInteger calls = new AtomicInteger();

        private void fail() {
            calls.incrementAndGet();
            throw new IllegalStateException("a broken tracker");
        }

        @Override
        public void requestCompleted(long nanos, RequestOutcome outcome, FailureKind kind) {
            fail();
        }

        @Override
        public void tryCompleted(int node, long nanos, boolean failed) {
            fail();
        }

        @Override
        public void leaseWaited(long nanos) {
            fail();
        }

        @Override
        public void connectionOpened(int node) {
            fail();
        }

        @Override
        public void circuitChanged(int node, CircuitState to) {
            fail();
        }

        @Override
        public void close() {
            fail();
        }
    }

    @Test
    void aTrackerFromTheBuilderSeesThePrewarmEveryRequestAndItsTriesAndIsClosedWithThePool() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        Recording[] made = new Recording[1];
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config)
                .metricsTrackerFactory(p -> made[0] = new Recording(p.name(), p.config().nodes())).start();
        pool.awaitReady(TestPools.READY);
        for (int i = 0; i < 4; i++) {
            pool.request(read());
        }

        Recording r = made[0];
        assertThat(r.pool).isEqualTo(config.name());
        assertThat(r.nodes).isEqualTo(cluster.urls());
        assertThat(r.requests).containsExactly("SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS");
        assertThat(r.nonPositiveDurations.get()).isZero();
        assertThat(r.timedTries.get()).isEqualTo(4);
        assertThat(r.leaseWaits.get()).isEqualTo(4);
        assertThat(r.opened.get()).as("the prewarm's connections, made after the tracker").isGreaterThanOrEqualTo(2 * 2);

        pool.close();

        assertThat(r.closed.get()).isEqualTo(1);
    }

    @Test
    void aTrackerIsToldTheKindOfEachFailure() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).maxRetries(0).prewarm(false).build();
        Recording[] made = new Recording[1];
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config)
                .metricsTrackerFactory(p -> made[0] = new Recording(p.name(), p.config().nodes())).start()) {
            pool.awaitReady(TestPools.READY);
            int active = cluster.urls().indexOf(pool.health().activeNode());
            cluster.node(active).failWith(500, 1);
            assertThat(pool.request(read()).status()).isEqualTo(500);
            cluster.node(0).stop();
            cluster.node(1).stop();
            assertThatThrownBy(() -> pool.request(read())).isInstanceOf(VaultTransportException.class);

            assertThat(made[0].requests).containsExactly("HTTP_5XX", "TRANSPORT/CONNECT_REFUSED");
        }
    }

    @Test
    void aThrowingTrackerBreaksNoRequestAndTheOtherTrackersStillSeeEverything() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        Throwing throwing = new Throwing();
        Recording[] made = new Recording[1];
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config)
                .metricsTrackerFactory(p -> throwing)
                .metricsTrackerFactory(p -> made[0] = new Recording(p.name(), p.config().nodes()))
                .start();
        pool.awaitReady(TestPools.READY);

        for (int i = 0; i < 5; i++) {
            assertThat(pool.request(read()).status()).isEqualTo(200);
        }
        assertThat(pool.requestAsync(read()).join().status()).isEqualTo(200);

        assertThat(throwing.calls.get()).as("the broken tracker was called").isGreaterThanOrEqualTo(6);
        assertThat(made[0].requests).hasSize(6);
        assertThat(pool.stats().failedRequests()).isZero();
        pool.close();
        assertThat(pool.isClosed()).isTrue();
        assertThat(made[0].closed.get()).as("the tracker after the throwing one is closed too").isEqualTo(1);
    }

    @Test
    void aFactoryThatThrowsLeavesThePoolRunningWithoutItsTracker() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        PoolMetricsTrackerFactory broken = p -> {
            throw new IllegalStateException("no registry");
        };
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricsTrackerFactory(broken).start()) {
            pool.awaitReady(TestPools.READY);

            assertThat(pool.request(read()).status()).isEqualTo(200);
        }
    }

    /** An Error or a checked exception thrown sneakily (a Kotlin factory) is no different: before, start() failed. */
    @Test
    void aFactoryThatThrowsAnErrorOrACheckedExceptionLeavesThePoolRunningWithoutItsTracker() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        PoolMetricsTrackerFactory error = p -> {
            throw new AssertionError("a factory's own check");
        };
        PoolMetricsTrackerFactory checked = p -> sneakyThrow(new java.io.IOException("registry unreachable"));
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricsTrackerFactory(error)
                .metricsTrackerFactory(checked).start()) {
            pool.awaitReady(TestPools.READY);

            assertThat(pool.request(read()).status()).isEqualTo(200);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable, R> R sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aTrackerAttachedToARunningPoolSeesItsRequestsUntilDetached() throws Exception {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).start()) {
            pool.awaitReady(TestPools.READY);
            pool.request(read());
            Recording r = new Recording(pool.name(), pool.config().nodes());

            AutoCloseable handle = pool.addMetricsTracker(p -> r);
            pool.request(read());
            pool.request(read());
            handle.close();
            pool.request(read());

            assertThat(r.requests).hasSize(2);
            assertThat(r.closed.get()).isEqualTo(1);
            handle.close();
            assertThat(r.closed.get()).as("detaching twice closes once").isEqualTo(1);
        }
    }

    @Test
    void attachingAndDetachingTrackersWhileRequestsRunFailsNoneAndEachTrackerIsClosedOnce() throws Exception {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).start()) {
            pool.awaitReady(TestPools.READY);
            List<CompletableFuture<VaultResponse>> inFlight = new ArrayList<>();
            List<Recording> trackers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Recording r = new Recording(pool.name(), pool.config().nodes());
                trackers.add(r);
                AutoCloseable handle = pool.addMetricsTracker(p -> r);
                for (int j = 0; j < 10; j++) {
                    inFlight.add(pool.requestAsync(read()));
                }
                handle.close();
            }

            assertThat(inFlight).allSatisfy(f -> assertThat(f.join().status()).isEqualTo(200));
            assertThat(trackers).allSatisfy(r -> assertThat(r.closed.get()).isEqualTo(1));
            assertThat(pool.stats().failedRequests()).isZero();
        }
    }

    @Test
    void aClosedPoolCallsNoFactory() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).start();
        pool.close();
        AtomicInteger created = new AtomicInteger();

        pool.addMetricsTracker(p -> {
            created.incrementAndGet();
            return new PoolMetricsTracker() { };
        });

        assertThat(created.get()).isZero();
    }

    @Test
    void aTrackerSeesABreakerOpenWhenANodeIsSealed() {
        PoolConfig config = TestPools.config(cluster).name(TestPools.uniqueName("spi")).build();
        Recording[] made = new Recording[1];
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config)
                .metricsTrackerFactory(p -> made[0] = new Recording(p.name(), p.config().nodes())).start()) {
            pool.awaitReady(TestPools.READY);

            cluster.node(1).seal();
            pool.control().checkHealthNow();

            await().atMost(TestPools.READY).untilAsserted(() -> assertThat(made[0].circuits).contains(CircuitState.OPEN));
        }
    }
}
