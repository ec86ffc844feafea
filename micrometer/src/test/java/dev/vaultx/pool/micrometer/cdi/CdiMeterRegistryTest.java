package dev.vaultx.pool.micrometer.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.cdi.VaultPoolExtension;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/** Real Weld SE: a pool made by the CDI integration gets Micrometer meters when the application has a MeterRegistry bean. */
class CdiMeterRegistryTest {

    private static final String TOKEN = "s.cdi-micrometer-0b7e";

    private SimulatedVaultCluster cluster;
    private Map<String, String> properties;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.builder().nodes(2).token(TOKEN).start();
        cluster.put("app", Map.of("k", "v"));
        properties = Map.of("vaultx.pool.cdi.nodes", cluster.urls().stream().map(Object::toString).collect(Collectors.joining(",")),
                "vaultx.pool.cdi.size", "1", "vaultx.pool.cdi.ioThreads", "1");
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
        static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();

        @Produces
        @ApplicationScoped
        MeterRegistry registry() {
            return REGISTRY;
        }
    }

    /** The application's use of the pool. */
    @ApplicationScoped
    static class User {
        @Inject
        @VaultPool("cdi")
        ConnectionPool pool;

        ConnectionPool pool() {
            return pool;
        }
    }

    private static Weld weld(Class<?>... beans) {
        return new Weld("vaultx-micrometer-" + beans.length).disableDiscovery().addExtension(new VaultPoolExtension())
                .addBeanClasses(PoolMeterRegistrar.class, User.class).addBeanClasses(beans);
    }

    @Test
    void aContainerMadePoolRecordsItsMetersAndRequestTimersInTheApplicationsMeterRegistryAndRemovesThemAtShutdown() {
        MeterRegistry registry = Registries.REGISTRY;
        try (WeldContainer container = weld(Registries.class).initialize()) {
            ConnectionPool pool = container.select(User.class).get().pool();
            pool.request(VaultRequest.get("/v1/secret/data/app").token(TOKEN).build());

            assertThat(registry.find("vaultx.pool.requests").tag("pool", "cdi").functionCounter())
                    .isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
            assertThat(registry.find("vaultx.pool.node.connections").tag("pool", "cdi").gauges()).hasSize(2);
            assertThat(registry.find("vaultx.pool.request.duration").tag("pool", "cdi").tag("outcome", "success").timer())
                    .as("the request timer of the tracker the CDI integration gave the pool")
                    .isNotNull().satisfies(t -> assertThat(t.count()).isEqualTo(1));
            assertThat(registry.find("vaultx.pool.node.try.duration").tag("pool", "cdi").timers()).hasSize(2);
        }
        assertThat(registry.getMeters()).as("meters after the container shut down").isEmpty();
    }

    @Test
    void withoutAMeterRegistryBeanThePoolStartsWithoutMeters() {
        try (WeldContainer container = weld().initialize()) {
            ConnectionPool pool = container.select(User.class).get().pool();

            assertThat(pool.request(VaultRequest.get("/v1/secret/data/app").token(TOKEN).build()).status()).isEqualTo(200);
            assertThat(Registries.REGISTRY.getMeters()).isEmpty();
        }
    }
}
