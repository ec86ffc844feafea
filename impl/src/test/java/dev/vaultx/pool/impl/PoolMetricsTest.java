package dev.vaultx.pool.impl;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.metrics.MetricNames;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PoolMetricsTest {

    private SimulatedVaultCluster cluster;
    private final MetricRegistry registry = new MetricRegistry();

    @BeforeEach
    void startCluster() {
        cluster = SimulatedVaultCluster.start(2);
        cluster.put("app", java.util.Map.of("k", "v"));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void recordsRequestsTriesConnectionsAndTheSeedStatistics() {
        PoolConfig config = TestPools.config(cluster).name("metrics-a").build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start()) {
            pool.awaitReady(TestPools.READY);
            for (int i = 0; i < 5; i++) {
                pool.request(VaultRequest.get("/v1/secret/data/app").token(TestPools.TOKEN).build());
            }

            Timer requests = registry.timer(MetricNames.pool("metrics-a", MetricNames.REQUESTS));
            assertThat(requests.getCount()).isEqualTo(5);
            long tries = cluster.urls().stream()
                    .mapToLong(u -> registry.timer(MetricNames.node("metrics-a", u, MetricNames.NODE_TRIES)).getCount()).sum();
            assertThat(tries).isEqualTo(5);
            long opened = cluster.urls().stream().mapToLong(u -> ((Counter) registry.getMetrics()
                    .get(MetricNames.node("metrics-a", u, MetricNames.NODE_CONNECTIONS_OPENED))).getCount()).sum();
            assertThat(opened).as("prewarm opens size connections per node").isGreaterThanOrEqualTo(2L * 2);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(gauge(MetricNames.pool("metrics-a", MetricNames.TOTAL_REQUESTS))).isEqualTo(5L));
            assertThat(gauge(MetricNames.pool("metrics-a", MetricNames.FAILED_REQUESTS))).isZero();
            assertThat(registry.getTimers().get(MetricNames.pool("metrics-a", MetricNames.LEASE_WAIT)).getCount()).isEqualTo(5);
        }
    }

    @Test
    void countsFailuresByKind() {
        PoolConfig config = TestPools.config(cluster).name("metrics-b").maxRetries(0).prewarm(false).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start()) {
            pool.awaitReady(TestPools.READY);
            cluster.node(0).stop();
            cluster.node(1).stop();

            assertThatThrownBy(() -> pool.request(VaultRequest.get("/v1/secret/data/app").token(TestPools.TOKEN).build()))
                    .isInstanceOf(VaultTransportException.class);

            assertThat(registry.meter(MetricNames.failed("metrics-b", "connect_refused")).getCount()).isEqualTo(1);
            assertThat(registry.timer(MetricNames.pool("metrics-b", MetricNames.REQUESTS)).getCount()).isEqualTo(1);
        }
    }

    @Test
    void circuitStateGaugeReportsAnOpenBreakerAsTwoAndAClosedOneAsZero() {
        PoolConfig config = TestPools.config(cluster).name("metrics-circuit").build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start()) {
            pool.awaitReady(TestPools.READY);
            String node1 = MetricNames.node("metrics-circuit", cluster.node(1).uri(), MetricNames.NODE_CIRCUIT_STATE);
            assertThat(gauge(node1)).isZero();

            cluster.node(1).seal();
            pool.control().checkHealthNow().join(); // a sealed node's breaker opens at once

            assertThat(gauge(node1)).as("0 closed, 1 half-open, 2 open").isEqualTo(2L);
        }
    }

    @Test
    void closeRemovesEveryMetricOfThePool() {
        registry.counter("unrelated");
        PoolConfig config = TestPools.config(cluster).name("metrics-c").build();
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start();
        pool.awaitReady(TestPools.READY);
        pool.request(VaultRequest.get("/v1/secret/data/missing").token(TestPools.TOKEN).build());
        assertThat(registry.getNames()).anyMatch(n -> n.startsWith("vaultx.pool.metrics-c."));

        pool.close();

        assertThat(registry.getNames()).containsExactly("unrelated");
    }

    @Test
    void aSecondPoolWithTheSameNameInTheSameRegistryFailsClearly() {
        PoolConfig config = TestPools.config(cluster).name("metrics-d").build();
        try (AsyncHttpConnectionPool first = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start()) {
            assertThatThrownBy(() -> AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vaultx.pool.metrics-d.");
            assertThat(first.isClosed()).isFalse();
            assertThat(registry.getTimers()).containsKey(MetricNames.pool("metrics-d", MetricNames.REQUESTS));
        }
    }

    @Test
    void metricNamesNeverContainTheToken() {
        PoolConfig config = TestPools.config(cluster).name("metrics-e").build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start()) {
            pool.request(VaultRequest.get("/v1/secret/data/app").token(TestPools.TOKEN).build());
            assertThat(registry.getNames()).noneMatch(n -> n.contains(TestPools.TOKEN));
        }
    }

    private long gauge(String name) {
        return ((Number) ((Gauge<?>) registry.getGauges().get(name)).getValue()).longValue();
    }
}
