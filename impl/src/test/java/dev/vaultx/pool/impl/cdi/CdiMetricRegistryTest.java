package dev.vaultx.pool.impl.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real Weld SE: a pool made by the CDI extension records its Dropwizard metrics in the application's MetricRegistry bean. */
class CdiMetricRegistryTest {

    private static final String TOKEN = "s.cdi-dropwizard-61fa";

    private SimulatedVaultCluster cluster;
    private Map<String, String> properties;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.builder().nodes(2).token(TOKEN).start();
        cluster.put("app", Map.of("k", "v"));
        properties = Map.of("vaultx.pool.dw.nodes", cluster.urls().stream().map(Object::toString).collect(Collectors.joining(",")),
                "vaultx.pool.dw.size", "1", "vaultx.pool.dw.ioThreads", "1");
        properties.forEach(System::setProperty);
    }

    @AfterEach
    void stop() {
        properties.keySet().forEach(System::clearProperty);
        cluster.close();
    }

    /** The application's registry. */
    @ApplicationScoped
    static class Registries {
        static final MetricRegistry REGISTRY = new MetricRegistry();

        @Produces
        @ApplicationScoped
        MetricRegistry registry() {
            return REGISTRY;
        }
    }

    /** The application's use of the pool. */
    @ApplicationScoped
    static class User {
        @Inject
        @VaultPool("dw")
        ConnectionPool pool;

        ConnectionPool pool() {
            return pool;
        }
    }

    private static Weld weld(Class<?>... beans) {
        return new Weld("vaultx-dropwizard-" + beans.length).disableDiscovery().addExtension(new VaultPoolExtension())
                .addBeanClasses(User.class).addBeanClasses(beans);
    }

    @Test
    void aContainerMadePoolRecordsItsMetricsInTheApplicationsRegistryUntilShutdown() {
        try (WeldContainer container = weld(Registries.class).initialize()) {
            ConnectionPool pool = container.select(User.class).get().pool();
            pool.request(VaultRequest.get("/v1/secret/data/app").token(TOKEN).build());

            assertThat(Registries.REGISTRY.timer("vaultx.pool.dw.requests").getCount()).isEqualTo(1);
            assertThat(Registries.REGISTRY.getGauges()).containsKey("vaultx.pool.dw.connections.total");
        }
        assertThat(Registries.REGISTRY.getNames()).as("metrics after the container shut down").isEmpty();
    }

    @Test
    void withoutARegistryBeanThePoolKeepsItsMetricsPrivate() {
        try (WeldContainer container = weld().initialize()) {
            ConnectionPool pool = container.select(User.class).get().pool();

            assertThat(pool.request(VaultRequest.get("/v1/secret/data/app").token(TOKEN).build()).status()).isEqualTo(200);
            assertThat(pool.stats().nodes()).as("latency from the pool's private registry")
                    .anySatisfy(n -> assertThat(n.latencyP50Millis()).isGreaterThanOrEqualTo(0));
            assertThat(Registries.REGISTRY.getNames()).isEmpty();
        }
    }
}
