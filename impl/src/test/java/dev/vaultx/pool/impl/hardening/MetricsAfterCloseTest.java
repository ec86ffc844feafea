package dev.vaultx.pool.impl.hardening;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that fail because the pool closed (stragglers, or callers that keep a closed pool) do not put a
 * metric back into the registry: every name is gone after close, and a new pool of the same name (an OSGi
 * bundle restart, a redeploy) starts on the same registry.
 */
@Timeout(60)
class MetricsAfterCloseTest {

    @Test
    void aRequestToAClosedPoolLeavesNoMetricAndTheNameCanBeReused() {
        try (SimulatedVaultCluster cluster = HardeningSupport.cluster(1)) {
            MetricRegistry registry = new MetricRegistry();
            PoolConfig config = HardeningSupport.config(cluster.urls()).name("metrics-after-close").build();
            AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start();
            pool.awaitReady(Duration.ofSeconds(5));
            assertThat(pool.request(HardeningSupport.read()).status()).isEqualTo(200);
            pool.close();
            assertThat(registry.getNames()).isEmpty();

            Throwable e = HardeningSupport.unwrap(pool.requestAsync(HardeningSupport.read()).handle((r, x) -> x).join());
            assertThat(e).isInstanceOf(PoolClosedException.class);
            assertThat(registry.getNames()).as("metrics after a request to the closed pool").isEmpty();

            try (AsyncHttpConnectionPool again = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start()) {
                again.awaitReady(Duration.ofSeconds(5));
                assertThat(again.request(HardeningSupport.read()).status()).isEqualTo(200);
                assertThat(registry.getNames()).isNotEmpty();
            }
            assertThat(registry.getNames()).isEmpty();
        }
    }
}
