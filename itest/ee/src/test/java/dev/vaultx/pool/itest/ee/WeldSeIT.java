package dev.vaultx.pool.itest.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.cdi.VaultPoolExtension;
import jakarta.enterprise.inject.spi.DefinitionException;
import java.util.Map;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plain Weld SE, no Arquillian and no MicroProfile Config on the class path: the vaultx-pool jars are
 * found by Weld's own class-path discovery (their {@code META-INF/beans.xml} and extension), and the
 * pool is configured by system properties.
 */
class WeldSeIT {

    static final String POOL = "se";

    private final Map<String, String> config = Deployments.pool(POOL, "size", "2");

    @AfterEach
    void clearProperties() {
        config.keySet().forEach(System::clearProperty);
        System.clearProperty("vaultx.pool.se.startup");
    }

    @Test
    void classPathDiscoveryGivesAnEagerPoolFromSystemPropertiesAndShutdownClosesIt() {
        config.forEach(System::setProperty);
        ConnectionPool pool;
        try (WeldContainer weld = new Weld("vaultx-itest-se").addBeanClass(SeUser.class).initialize()) {
            assertThat(weld.select(VaultPoolExtension.class).get().poolNames()).containsExactly(POOL);
            ServerState started = ServerState.of(POOL);
            assertThat(started.mbeans()).as("eager: registered before first use").isEqualTo(4);
            // the timer thread, and up to two worker threads while events of the start (role changes) are handed on
            assertThat(started.poolThreads()).as("eager: started before first use").isBetween(1, 3);

            pool = weld.select(SeUser.class).get().pool();
            assertThat(pool.config().size()).isEqualTo(2);
            assertThat(pool.request(VaultRequest.get("/v1/secret/data/" + TestCluster.SECRET_PATH).token("itest-token").build())
                    .bodyAsString()).contains(TestCluster.SECRET_MARKER);
        }
        assertThat(ServerState.of(POOL)).as("after shutdown").isEqualTo(new ServerState(0, 0));
    }

    @Test
    void anInvalidStartupModeFailsTheContainerNamingTheKeyAndTheValue() {
        config.forEach(System::setProperty);
        System.setProperty("vaultx.pool.se.startup", "soon");

        Throwable failure = catchThrowable(() -> new Weld("vaultx-itest-se-bad").addBeanClass(SeUser.class).initialize().close());

        assertThat(failure).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("vaultx.pool.se.startup: soon (expected: eager or lazy)")
                .hasMessageContaining("read from system properties, environment variables");
        assertThat(ServerState.of(POOL)).isEqualTo(new ServerState(0, 0));
    }
}
