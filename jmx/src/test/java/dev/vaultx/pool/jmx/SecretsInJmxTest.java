package dev.vaultx.pool.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanFeatureInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Vault token never reaches JMX: after a scenario with a known token (successes, 5xx, redirects,
 * deadlines, a sealed and a stopped node, role and breaker changes), every attribute of every
 * {@code dev.vaultx:*} MBean, its MBeanInfo, the results of the text-returning operations and every
 * notification (message and user data) are free of it. The rest of what the pool emits is scanned by
 * impl's {@code hardening.SecretsTest}.
 */
class SecretsInJmxTest {

    private static final String TOKEN = "s.SECRET-TOKEN-jmx-4b1d";
    private static final String SECRET_PART = "SECRET-TOKEN-jmx";
    private static final String SECRET_PATH = "/v1/secret/data/app";

    @Test
    @Timeout(90)
    void noAttributeMBeanInfoOperationResultOrNotificationCarriesTheToken() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> notifications = Collections.synchronizedList(new ArrayList<>());
        NotificationListener listener = (Notification n, Object handback) -> notifications.add(n.getType() + " "
                + n.getMessage() + " " + n.getSource() + " " + deep(n.getUserData()));
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            cluster.put("app", Map.of("k", "v"));
            PoolConfig config = PoolConfig.builder().name("jmx-secrets").nodeUris(cluster.urls()).size(2).maxOverflow(1)
                    .ioThreads(1).maxRetries(1).timeout(Duration.ofSeconds(1)).attemptTimeout(Duration.ofMillis(400))
                    .requestTimeout(Duration.ofMillis(1200)).healthCheckInterval(Duration.ofMillis(300))
                    .healthCheckTimeout(Duration.ofMillis(300)).circuitBreakerDelay(Duration.ofMillis(300))
                    .namespace("team-a").shutdownTimeout(Duration.ofSeconds(2)).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config);
                 Registration registration = PoolMBeans.register(pool, server)) {
                ObjectName poolName = PoolMBeans.poolObjectName(config.name());
                server.addNotificationListener(poolName, listener, null, null);
                pool.awaitReady(Duration.ofSeconds(5));
                await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().activeNode() != null);

                VaultRequest read = VaultRequest.get(SECRET_PATH).token(TOKEN).build();
                VaultRequest write = VaultRequest.builder("POST", SECRET_PATH).token(TOKEN).body("{\"data\":{\"k\":\"w\"}}").build();
                VaultRequest viaHeader = VaultRequest.builder("GET", SECRET_PATH).headers(Map.of("X-Vault-Token", TOKEN)).build();
                settle(pool.requestAsync(read));
                settle(pool.requestAsync(write));
                settle(pool.requestAsync(viaHeader));
                cluster.node(0).failWith(500, 2);
                settle(pool.requestAsync(read));
                settle(pool.requestAsync(write));
                cluster.node(0).redirectTo(cluster.node(1).uri());
                settle(pool.requestAsync(read));
                cluster.clearFaults();
                cluster.nodes().forEach(n -> n.slow(Duration.ofSeconds(2)));
                settle(pool.requestAsync(read));
                cluster.nodes().forEach(n -> n.slow(Duration.ZERO));
                cluster.node(2).seal();
                cluster.node(1).stop();
                for (int i = 0; i < 6; i++) {
                    settle(pool.requestAsync(read));
                    settle(pool.requestAsync(write));
                }
                pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join();
                await().atMost(Duration.ofSeconds(5)).until(() -> !notifications.isEmpty());

                StringBuilder all = new StringBuilder();
                List<ObjectName> names = new ArrayList<>(server.queryNames(new ObjectName(PoolMBeans.DOMAIN + ":*"), null));
                assertThat(names).as("the pool's MBean and one per node").hasSizeGreaterThanOrEqualTo(4)
                        .containsAll(registration.objectNames());
                int attributes = 0;
                for (ObjectName name : names) {
                    all.append(name).append('\n');
                    MBeanInfo info = server.getMBeanInfo(name);
                    all.append(info.getClassName()).append(' ').append(info.getDescription()).append('\n');
                    describe(all, info.getOperations());
                    describe(all, info.getNotifications());
                    for (MBeanAttributeInfo a : info.getAttributes()) {
                        all.append(a.getName()).append(' ').append(a.getDescription()).append(" = ")
                                .append(deep(server.getAttribute(name, a.getName()))).append('\n');
                        attributes++;
                    }
                }
                String node0 = PoolMBeans.hostPort(cluster.node(0).uri());
                all.append(server.invoke(poolName, "checkHealthNow", new Object[0], new String[0])).append('\n');
                all.append(server.invoke(poolName, "drain", new Object[] {node0, 200L},
                        new String[] {String.class.getName(), long.class.getName()})).append('\n');
                server.invoke(poolName, "resume", new Object[] {node0}, new String[] {String.class.getName()});
                all.append(server.invoke(poolName, "drainAll", new Object[] {100L}, new String[] {long.class.getName()}));

                System.out.printf("measured: read %d attributes of %d MBeans, %d notifications%n", attributes, names.size(),
                        notifications.size());
                assertThat(attributes).isGreaterThan(20);
                assertThat(all.toString()).as("MBeans as JConsole shows them").contains("jmx-secrets").doesNotContain(SECRET_PART);
                assertThat(String.join("\n", notifications)).doesNotContain(SECRET_PART);
            } finally {
                try {
                    server.removeNotificationListener(PoolMBeans.poolObjectName("jmx-secrets"), listener);
                } catch (Exception alreadyGone) {
                    // unregistered with the pool
                }
            }
        }
        assertThat(server.queryNames(PoolMBeans.poolPattern("jmx-secrets"), null)).as("unregistered on close").isEmpty();
    }

    private static void describe(StringBuilder all, MBeanFeatureInfo[] features) {
        for (MBeanFeatureInfo f : features) {
            all.append(f.getName()).append(' ').append(f.getDescription());
            if (f instanceof MBeanOperationInfo o) {
                all.append(' ').append(o.getReturnType());
            }
            all.append('\n');
        }
    }

    private static void settle(CompletableFuture<VaultResponse> f) {
        f.handle((r, e) -> null).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Renders a JMX value with everything inside it: arrays, CompositeData, TabularData. */
    private static String deep(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                s.append(deep(Array.get(value, i))).append(", ");
            }
            return s.append(']').toString();
        }
        if (value instanceof CompositeData c) {
            StringBuilder s = new StringBuilder("{");
            for (String key : c.getCompositeType().keySet()) {
                s.append(key).append('=').append(deep(c.get(key))).append(", ");
            }
            return s.append('}').toString();
        }
        if (value instanceof TabularData t) {
            StringBuilder s = new StringBuilder("(");
            for (Object row : t.values()) {
                s.append(deep(row)).append("; ");
            }
            return s.append(')').toString();
        }
        return value.toString();
    }
}
