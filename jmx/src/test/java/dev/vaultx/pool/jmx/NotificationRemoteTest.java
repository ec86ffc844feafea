package dev.vaultx.pool.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.testing.RemoteJmx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Role and breaker notifications reach a listener registered through the RMI connector. */
class NotificationRemoteTest {

    private static RemoteJmx remote;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteJmx.start();
    }

    @AfterAll
    static void stop() throws Exception {
        remote.close();
    }

    @Test
    void sealingANodeSendsRoleAndCircuitNotifications() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool("jmx-notify", b -> b.healthCheckInterval(Duration.ofMillis(200)));
        remote.closeLater(PoolMBeans.register(pool));
        ObjectName name = PoolMBeans.poolObjectName("jmx-notify");
        List<Notification> received = new CopyOnWriteArrayList<>();
        NotificationListener listener = (n, handback) -> received.add(n);
        remote.connection.addNotificationListener(name, listener, null, null);
        String node1 = "127.0.0.1:" + remote.cluster.node(1).port();

        remote.cluster.node(1).seal();
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(changes(received, PoolMXBean.ROLE_NOTIFICATION)).contains(node1 + " STANDBY->SEALED");
                assertThat(changes(received, PoolMXBean.CIRCUIT_NOTIFICATION)).contains(node1 + " CLOSED->OPEN");
            });
            assertThat(remote.connection.getAttribute(name, "HealthStatus")).isEqualTo("DEGRADED");
        } finally {
            remote.cluster.node(1).unseal();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(changes(received, PoolMXBean.ROLE_NOTIFICATION)).contains(node1 + " SEALED->STANDBY"));

        Notification first = received.stream().filter(n -> n.getType().equals(PoolMXBean.ROLE_NOTIFICATION)).findFirst()
                .orElseThrow();
        assertThat(first.getSource()).isEqualTo(name);
        assertThat(first.getMessage()).isEqualTo("jmx-notify: role of " + node1 + " changed from STANDBY to SEALED");
        assertThat(((CompositeData) first.getUserData()).get("pool")).isEqualTo("jmx-notify");
        assertThat(received).extracting(Notification::getSequenceNumber).doesNotHaveDuplicates();

        remote.connection.removeNotificationListener(name, listener);
    }

    private static List<String> changes(List<Notification> received, String type) {
        return received.stream().filter(n -> n.getType().equals(type)).map(n -> {
            CompositeData data = (CompositeData) n.getUserData();
            return data.get("node") + " " + data.get("from") + "->" + data.get("to");
        }).toList();
    }
}
