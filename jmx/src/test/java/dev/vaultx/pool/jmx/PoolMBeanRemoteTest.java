package dev.vaultx.pool.jmx;

import static dev.vaultx.pool.jmx.testing.RemoteJmx.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.testing.RemoteJmx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ObjectName;
import javax.management.openmbean.OpenType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The pool and node MBeans as JConsole sees them: through a real RMI connector on 127.0.0.1. */
class PoolMBeanRemoteTest {

    private static RemoteJmx remote;

    private String poolName;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteJmx.start();
    }

    @AfterAll
    static void stop() throws Exception {
        remote.close();
    }

    @BeforeEach
    void name(TestInfo test) {
        poolName = "jmx-" + test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closePools() {
        remote.closePools();
    }

    private Registration register(AsyncHttpConnectionPool pool) {
        return remote.closeLater(PoolMBeans.register(pool));
    }

    private Object attribute(ObjectName name, String attribute) throws Exception {
        return remote.connection.getAttribute(name, attribute);
    }

    private ObjectName nodeName(int index) {
        return PoolMBeans.nodeObjectName(poolName, remote.cluster.node(index).uri());
    }

    private String hostPort(int index) {
        return "127.0.0.1:" + remote.cluster.node(index).port();
    }

    /** Reads every attribute at once, as JConsole's attribute tab does, and checks none is missing or null. */
    private AttributeList allAttributes(ObjectName name) throws Exception {
        MBeanInfo info = remote.connection.getMBeanInfo(name);
        String[] names = Arrays.stream(info.getAttributes()).map(MBeanAttributeInfo::getName).toArray(String[]::new);
        AttributeList values = remote.connection.getAttributes(name, names);
        assertThat(values.asList()).extracting(Attribute::getName).containsExactlyInAnyOrder(names);
        assertThat(values.asList()).allSatisfy(a -> assertThat(a.getValue()).as(a.getName()).isNotNull());
        return values;
    }

    private static Object value(AttributeList list, String name) {
        return list.asList().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    @Test
    void objectNamesFollowTheDesign() {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        Registration registration = register(pool);

        int port = remote.cluster.node(0).port();
        assertThat(registration.objectNames()).hasSize(4);
        assertThat(registration.objectNames().get(0).toString())
                .isEqualTo("dev.vaultx:type=ConnectionPool,name=\"" + poolName + "\"");
        assertThat(registration.objectNames().get(1).toString())
                .isEqualTo("dev.vaultx:type=ConnectionPool,name=\"" + poolName + "\",node=127.0.0.1_" + port);
        assertThat(PoolMBeans.nodeObjectName("p", URI.create("http://[::1]:8200")).getKeyProperty("node"))
                .isEqualTo(ObjectName.quote("[::1]_8200"));
        assertThat(PoolMBeans.poolObjectName("a,b=\"c\"").getKeyProperty("name")).isEqualTo(ObjectName.quote("a,b=\"c\""));
    }

    @Test
    void poolAttributesAreReadRemotely() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);
        for (int i = 0; i < 7; i++) {
            assertThat(read(pool).status()).isEqualTo(200);
        }
        ObjectName name = PoolMBeans.poolObjectName(poolName);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            AttributeList a = allAttributes(name);
            assertThat(value(a, "TotalConnections")).isEqualTo(
                    (Integer) value(a, "ActiveConnections") + (Integer) value(a, "IdleConnections"));
            assertThat(value(a, "ActiveConnections")).isEqualTo(0);
        });
        AttributeList a = allAttributes(name);
        assertThat(a.asList()).hasSize(12);
        assertThat(value(a, "Name")).isEqualTo(poolName);
        assertThat((String[]) value(a, "Nodes")).containsExactly(hostPort(0), hostPort(1), hostPort(2));
        assertThat(value(a, "Size")).isEqualTo(2);
        assertThat(value(a, "MaxOverflow")).isEqualTo(3);
        assertThat((Integer) value(a, "TotalConnections")).isPositive();
        assertThat((Integer) value(a, "IdleConnections")).isPositive();
        assertThat(value(a, "PendingRequests")).isEqualTo(0);
        assertThat(value(a, "TotalRequests")).isEqualTo(7L);
        assertThat(value(a, "FailedRequests")).isEqualTo(0L);
        assertThat(value(a, "HealthStatus")).isEqualTo("UP");
        assertThat(value(a, "ActiveNode")).isEqualTo(hostPort(0));
    }

    @Test
    void nodeAttributesAreReadRemotely() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);
        for (int i = 0; i < 5; i++) {
            read(pool);
        }

        for (int i = 0; i < 3; i++) {
            AttributeList a = allAttributes(nodeName(i));
            assertThat(a.asList()).hasSize(23);
            assertThat(value(a, "Node")).isEqualTo("http://" + hostPort(i));
            assertThat(value(a, "Role")).isEqualTo(i == 0 ? "ACTIVE" : "STANDBY");
            assertThat(value(a, "CircuitState")).isEqualTo("CLOSED");
            assertThat((Integer) value(a, "ActiveConnections")).isNotNegative();
            assertThat((Integer) value(a, "IdleConnections")).isNotNegative();
            assertThat((Integer) value(a, "TotalConnections")).isNotNegative();
            assertThat(value(a, "PendingRequests")).isEqualTo(0);
            assertThat((Integer) value(a, "InFlightRequests")).isNotNegative();
            assertThat(value(a, "MaxConnections")).isEqualTo(5);
            if (i == 0) {
                assertThat((Double) value(a, "LatencyP50Millis")).isPositive();
                assertThat((Double) value(a, "LatencyP99Millis")).isGreaterThanOrEqualTo((Double) value(a, "LatencyP50Millis"));
            } else {
                assertThat(value(a, "LatencyP50Millis")).isEqualTo(-1.0);
            }
            assertThat(value(a, "TotalRequests")).isEqualTo(i == 0 ? 5L : 0L);
            assertThat(value(a, "FailedRequests")).isEqualTo(0L);
            assertThat((Long) value(a, "ConnectionsOpened")).as("the prewarm's, at least")
                    .isGreaterThanOrEqualTo((Integer) value(a, "TotalConnections"));
            assertThat(value(a, "ConnectionsClosed")).isEqualTo(0L);
            assertThat(value(a, "Draining")).isEqualTo(false);
            assertThat(value(a, "Usable")).isEqualTo(true);
            assertThat(Instant.parse((String) value(a, "LastCheck"))).isBefore(Instant.now().plusSeconds(1));
            assertThat((Long) value(a, "LastProbeLatencyMillis")).isNotNegative();
            assertThat(value(a, "ConsecutiveFailures")).isEqualTo(0);
            assertThat(value(a, "LastError")).isEqualTo("");
            assertThat(value(a, "ClusterId")).isEqualTo(remote.cluster.clusterId());
            assertThat(value(a, "Version")).isEqualTo(remote.cluster.version());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(attribute(nodeName(0), "TotalConnections"))
                        .isEqualTo((Integer) attribute(nodeName(0), "IdleConnections") + (Integer) attribute(nodeName(0), "ActiveConnections")));
    }

    @Test
    void mbeanInfoUsesOpenTypesOnlyAndNamesParameters() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);

        for (ObjectName name : List.of(PoolMBeans.poolObjectName(poolName), nodeName(1))) {
            MBeanInfo info = remote.connection.getMBeanInfo(name);
            assertThat(info.getDescriptor().getFieldValue("mxbean")).isEqualTo("true");
            assertThat(info.getDescription()).contains("point-in-time");
            Stream.concat(Arrays.stream(info.getAttributes()).map(a -> a.getDescriptor().getFieldValue("openType")),
                            Arrays.stream(info.getOperations()).map(o -> o.getDescriptor().getFieldValue("openType")))
                    .forEach(type -> assertThat(type).isInstanceOf(OpenType.class));
            assertThat(info.getAttributes()).allSatisfy(a -> assertThat(a.getType()).doesNotContain("vaultx"));
            assertThat(info.getAttributes()).allSatisfy(a -> assertThat(a.isWritable()).isFalse());
        }
        MBeanInfo poolInfo = remote.connection.getMBeanInfo(PoolMBeans.poolObjectName(poolName));
        MBeanOperationInfo drain = Arrays.stream(poolInfo.getOperations()).filter(o -> o.getName().equals("drain"))
                .findFirst().orElseThrow();
        assertThat(drain.getSignature()).extracting(p -> p.getName()).containsExactly("node", "timeoutMillis");
        assertThat(drain.getReturnType()).isEqualTo(String.class.getName());
        assertThat(drain.getImpact()).isEqualTo(MBeanOperationInfo.ACTION);
        assertThat(Arrays.stream(poolInfo.getOperations()).map(MBeanOperationInfo::getName))
                .containsExactlyInAnyOrder("resize", "drain", "drainAll", "resume", "evictIdle", "resetCircuit", "checkHealthNow");
        assertThat(poolInfo.getNotifications()).flatExtracting(n -> List.of(n.getNotifTypes()))
                .containsExactlyInAnyOrder(PoolMXBean.ROLE_NOTIFICATION, PoolMXBean.CIRCUIT_NOTIFICATION);
        assertThat(poolInfo.getNotifications()).extracting(MBeanNotificationInfo::getName)
                .containsOnly("javax.management.Notification");
        assertThat(remote.connection.isInstanceOf(PoolMBeans.poolObjectName(poolName), "javax.management.NotificationBroadcaster"))
                .isTrue();
    }

    @Test
    void resizeInvokedRemotelyChangesThePool() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);
        ObjectName name = PoolMBeans.poolObjectName(poolName);

        remote.connection.invoke(name, "resize", new Object[] {4, 2}, new String[] {"int", "int"});

        assertThat(pool.stats().size()).isEqualTo(4);
        assertThat(pool.stats().maxOverflow()).isEqualTo(2);
        assertThat(attribute(name, "Size")).isEqualTo(4);
        assertThat(attribute(name, "MaxOverflow")).isEqualTo(2);
        assertThat(attribute(nodeName(0), "MaxConnections")).isEqualTo(6);

        PoolMXBean proxy = JMX.newMXBeanProxy(remote.connection, name, PoolMXBean.class, true);
        proxy.resize(1, 0);
        assertThat(pool.stats().size()).isEqualTo(1);
        assertThat(proxy.getMaxOverflow()).isZero();
        assertThat(read(pool).status()).isEqualTo(200);
    }

    @Test
    void drainStopsNewRequestsToTheNodeAndResumeBringsItBack() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);
        for (int i = 0; i < 3; i++) {
            read(pool);
        }
        ObjectName name = PoolMBeans.poolObjectName(poolName);

        Object summary = remote.connection.invoke(name, "drain", new Object[] {hostPort(0), 2_000L},
                new String[] {String.class.getName(), "long"});

        assertThat((String) summary).matches("drained " + hostPort(0).replace(".", "\\.") + " in \\d+ ms");
        assertThat(attribute(nodeName(0), "Draining")).isEqualTo(true);
        assertThat(attribute(nodeName(0), "Usable")).isEqualTo(false);
        long before = nodeStats(pool, 0).totalRequests();
        long poolBefore = pool.stats().totalRequests();
        for (int i = 0; i < 10; i++) {
            assertThat(read(pool).status()).isEqualTo(200);
        }
        assertThat(nodeStats(pool, 0).totalRequests()).isEqualTo(before);
        assertThat(attribute(nodeName(0), "TotalRequests")).isEqualTo(before);
        assertThat(pool.stats().totalRequests()).isEqualTo(poolBefore + 10);
        assertThat(nodeStats(pool, 1).totalRequests() + nodeStats(pool, 2).totalRequests()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(attribute(nodeName(0), "TotalConnections")).isEqualTo(0));

        remote.connection.invoke(nodeName(0), "resume", new Object[0], new String[0]);

        assertThat(attribute(nodeName(0), "Draining")).isEqualTo(false);
        assertThat(attribute(nodeName(0), "Usable")).isEqualTo(true);
        for (int i = 0; i < 3; i++) {
            assertThat(read(pool).status()).isEqualTo(200);
        }
        assertThat(nodeStats(pool, 0).totalRequests()).isEqualTo(before + 3);
    }

    @Test
    void drainAllAndNodeDrainReportEveryNode() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);
        ObjectName name = PoolMBeans.poolObjectName(poolName);

        String nodeSummary = (String) remote.connection.invoke(nodeName(2), "drain", new Object[] {500L}, new String[] {"long"});
        assertThat(nodeSummary).startsWith("drained " + hostPort(2) + " in ");
        remote.connection.invoke(name, "resume", new Object[] {hostPort(2)}, new String[] {String.class.getName()});

        String all = (String) remote.connection.invoke(name, "drainAll", new Object[] {1_000L}, new String[] {"long"});
        assertThat(all.split("; ")).hasSize(3).allSatisfy(s -> assertThat(s).startsWith("drained 127.0.0.1:"));
        assertThat(pool.stats().nodes()).allSatisfy(n -> assertThat(n.draining()).isTrue());
        for (int i = 0; i < 3; i++) {
            remote.connection.invoke(name, "resume", new Object[] {remote.cluster.node(i).uri().toString()},
                    new String[] {String.class.getName()});
        }
        assertThat(pool.stats().nodes()).noneSatisfy(n -> assertThat(n.draining()).isTrue());
        assertThat(read(pool).status()).isEqualTo(200);
    }

    @Test
    void evictResetAndHealthCheckOperations() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool(poolName);
        register(pool);
        read(pool);
        ObjectName name = PoolMBeans.poolObjectName(poolName);
        await().atMost(Duration.ofSeconds(5)).until(() -> (Integer) attribute(name, "IdleConnections") > 0);

        Object evicted = remote.connection.invoke(name, "evictIdle", new Object[0], new String[0]);
        assertThat((Integer) evicted).isPositive();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(attribute(name, "IdleConnections")).isEqualTo(0));

        remote.connection.invoke(name, "resetCircuit", new Object[] {hostPort(1)}, new String[] {String.class.getName()});
        remote.connection.invoke(nodeName(2), "resetCircuit", new Object[0], new String[0]);
        assertThat(attribute(nodeName(1), "CircuitState")).isEqualTo("CLOSED");

        Object health = remote.connection.invoke(name, "checkHealthNow", new Object[0], new String[0]);
        assertThat(health).isEqualTo("UP (active: " + hostPort(0) + ")");
        assertThat(read(pool).status()).isEqualTo(200);
    }

    private static NodeStats nodeStats(AsyncHttpConnectionPool pool, int index) {
        return pool.stats().nodes().get(index);
    }
}
