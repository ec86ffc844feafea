package dev.vaultx.pool.mphealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import dev.vaultx.pool.impl.cdi.VaultPoolExtension;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real Weld SE: one @Readiness check per CDI pool, UP while it can serve (UP or DEGRADED), DOWN when no node can. */
class ReadinessCheckTest {

    private SimulatedVaultCluster cluster;
    private Map<String, String> properties;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.start(3);
        String nodes = cluster.urls().stream().map(Object::toString).collect(Collectors.joining(","));
        properties = Map.of("vaultx.pool.ready.nodes", nodes, "vaultx.pool.ready.size", "1", "vaultx.pool.ready.ioThreads", "1",
                "vaultx.pool.ready.timeout", "500ms", "vaultx.pool.ready.healthCheckTimeout", "500ms",
                "vaultx.pool.other.nodes", nodes, "vaultx.pool.other.size", "1", "vaultx.pool.other.ioThreads", "1");
        properties.forEach(System::setProperty);
    }

    @AfterEach
    void stop() {
        properties.keySet().forEach(System::clearProperty);
        cluster.close();
    }

    /** The application's pools. */
    @ApplicationScoped
    static class User {
        @Inject
        @VaultPool("ready")
        ConnectionPool ready;

        @Inject
        @VaultPool("other")
        ConnectionPool other;

        ConnectionPool ready() {
            return ready;
        }
    }

    private static WeldContainer weld() {
        return new Weld("vaultx-mphealth").disableDiscovery().addExtension(new VaultPoolExtension())
                .addExtension(new ReadinessExtension()).addBeanClasses(User.class).initialize();
    }

    private static HealthCheckResponse check(WeldContainer container, String name) {
        List<HealthCheckResponse> responses = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).stream()
                .map(HealthCheck::call).filter(r -> r.getName().equals(name)).toList();
        assertThat(responses).as("readiness checks named %s", name).hasSize(1);
        return responses.get(0);
    }

    @Test
    void eachPoolHasAReadinessCheckThatIsUpWithRoleBreakerAndActiveNode() {
        try (WeldContainer container = weld()) {
            assertThat(container.select(HealthCheck.class, Readiness.Literal.INSTANCE).stream().count()).isEqualTo(2);
            String active = cluster.node(0).uri().toString();
            String activeHostPort = "127.0.0.1:" + cluster.node(0).port();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HealthCheckResponse r = check(container, "vaultx-pool.ready");
                assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
                assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d)
                        .containsEntry("status", "UP").containsEntry("activeNode", active)
                        .containsEntry(activeHostPort, "ACTIVE/CLOSED")
                        .containsEntry("127.0.0.1:" + cluster.node(1).port(), "STANDBY/CLOSED"));
            });
            assertThat(check(container, "vaultx-pool.other").getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
    }

    @Test
    void staysUpWhileDegradedAndTurnsDownWhenEveryNodeIsStopped() {
        try (WeldContainer container = weld()) {
            ConnectionPool pool = container.select(User.class).get().ready();
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().activeNode() != null);

            cluster.node(2).stop();
            pool.control().checkHealthNow();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HealthCheckResponse r = check(container, "vaultx-pool.ready");
                assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsEntry("status", "DEGRADED"));
                assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            });

            cluster.node(0).stop();
            cluster.node(1).stop();
            pool.control().checkHealthNow();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                HealthCheckResponse r = check(container, "vaultx-pool.ready");
                assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d)
                        .containsEntry("status", "DOWN").containsEntry("activeNode", "none"));
            });
        }
    }
}
