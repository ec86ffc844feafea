package dev.vaultx.pool.itest.ee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import dev.vaultx.pool.VaultResponse;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A WAR that injects three pools (default, {@code payments}, lazy {@code reports}), deployed into the
 * container; the tests run inside it, except where marked {@link RunAsClient}.
 */
@ExtendWith(ArquillianExtension.class)
class PoolInjectionIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = new LinkedHashMap<>();
        config.putAll(Deployments.pool("default", "size", "2"));
        config.putAll(Deployments.pool("payments", "size", "3", "maxOverflow", "1"));
        config.putAll(Deployments.pool("reports", "startup", "lazy"));
        return Deployments.war("pools.war", config, PoolUser.class, PoolInjectionIT.class);
    }

    @Inject
    PoolUser user;

    @Inject
    @Any
    Instance<ConnectionPool> pools;

    @Test
    void injectedDefaultPoolServesRequestsInsideTheContainer() {
        VaultResponse r = user.readSecret(user.pool());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyAsString()).contains(TestCluster.SECRET_MARKER);
        assertThat(user.pool().name()).isEqualTo("default");
        assertThat(user.pool().config().size()).as("vaultx.pool.size").isEqualTo(2);
    }

    @Test
    void eachNameIsItsOwnBeanWithItsOwnConfiguration() {
        assertThat(user.payments().name()).isEqualTo("payments");
        assertThat(user.payments().config().size()).as("vaultx.pool.payments.size").isEqualTo(3);
        assertThat(user.payments().config().maxOverflow()).isEqualTo(1);
        assertThat(user.readSecret(user.payments()).status()).isEqualTo(200);

        assertThat(pools.select(VaultPool.Literal.of("payments")).get().name()).isEqualTo("payments");
        assertThat(pools.select(VaultPool.Literal.of("default")).get().name()).isEqualTo("default");
    }

    @Test
    void eagerPoolsHaveTheirMBeansAtStartupLazyOnesAfterTheirFirstUse() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();

        assertThat(server.isRegistered(poolName("default"))).isTrue();
        assertThat(server.queryNames(new ObjectName("dev.vaultx:type=ConnectionPool,name=\"payments\",*"), null))
                .as("the pool bean and one bean per node").hasSize(4);
        assertThat(server.isRegistered(poolName("reports"))).as("lazy: not started yet").isFalse();

        assertThat(user.reports().health()).isNotNull(); // the first call starts it
        assertThat(server.isRegistered(poolName("reports"))).isTrue();
    }

    @Test
    void resizeThroughTheMBeanServerTakesEffectInTheDeployment() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName payments = poolName("payments");

        server.invoke(payments, "resize", new Object[] {5, 2}, new String[] {"int", "int"});

        assertThat(user.payments().stats().size()).isEqualTo(5);
        assertThat(user.payments().stats().maxOverflow()).isEqualTo(2);
        assertThat(server.getAttribute(payments, "Size")).isEqualTo(5);
        assertThat(user.readSecret(user.payments()).status()).isEqualTo(200);
    }

    @Test
    @RunAsClient
    void theServersPoolsProbedTheClusterOfTheTestJvm() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (TestCluster.get().totalRequests("/v1/sys/health") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(TestCluster.get().totalRequests("/v1/sys/health")).isPositive();
    }

    private static ObjectName poolName(String pool) throws Exception {
        return new ObjectName("dev.vaultx:type=ConnectionPool,name=" + ObjectName.quote(pool));
    }
}
