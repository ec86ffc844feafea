package dev.vaultx.pool.itest.osgi;

import static dev.vaultx.pool.itest.osgi.FakeVaultNode.SECRET_PATH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.PoolMBeans;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.management.MBeanServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The DS component of impl and the JMX whiteboard of jmx, driven through ConfigAdmin: one pool per
 * factory configuration {@code dev.vaultx.pool}, resized or replaced on update, kept on an invalid update,
 * closed on delete; a Dropwizard {@code MetricRegistry} service gets every pool's metrics, and so does a Micrometer
 * {@code MeterRegistry} service (through the tracker factory service of the micrometer bundle).
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PoolComponentTest {

    private static final String PID = "dev.vaultx.pool";
    private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

    private static FakeVaultNode active;
    private static FakeVaultNode standby;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> created = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException {
        active = FakeVaultNode.start(false);
        standby = FakeVaultNode.start(true);
    }

    @AfterAll
    static void stopCluster() {
        active.close();
        standby.close();
    }

    @AfterEach
    void deleteConfigurations() throws IOException {
        for (Configuration c : created) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it
            }
        }
    }

    @Test
    void aConfigurationStartsAPoolServiceThatServesRequests() throws Exception {
        createConfiguration("orders", properties(active.url().toString()));

        ServiceReference<ConnectionPool> ref = awaitPool("orders", -1);
        assertArrayEquals(new String[] {active.url().toString()}, (String[]) ref.getProperty("vaultx.pool.nodes"));
        ConnectionPool pool = context.getService(ref);
        try {
            assertEquals("orders", pool.name());
            assertEquals(2, pool.config().size());
            int before = active.hits(SECRET_PATH);
            VaultResponse r = pool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build());
            assertEquals(200, r.status(), r.bodyAsString());
            assertTrue(r.bodyAsString().contains("\"k\":\"v\""), r.bodyAsString());
            assertEquals(before + 1, active.hits(SECRET_PATH));
            Await.until("the MBean of the pool 'orders'", () -> MBEANS.isRegistered(PoolMBeans.poolObjectName("orders")));
            Await.until("a node MBean of the pool 'orders'",
                    () -> MBEANS.isRegistered(PoolMBeans.nodeObjectName("orders", active.url())));
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void anUpdateOfTheSizesResizesInPlaceAndAnyOtherChangeReplacesThePool() throws Exception {
        Configuration c = createConfiguration("resized", properties(active.url().toString()));
        ServiceReference<ConnectionPool> ref = awaitPool("resized", -1);
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        ConnectionPool pool = context.getService(ref);
        try {
            Dictionary<String, Object> bigger = properties(active.url().toString());
            bigger.put("size", 4);
            bigger.put("maxOverflow", "3");
            c.update(bigger);
            Await.until("size 4 and maxOverflow 3", () -> pool.stats().size() == 4 && pool.stats().maxOverflow() == 3);
            Await.until("the MBean's Size 4", () -> mbeanSize("resized") == 4);
            assertFalse(pool.isClosed());
            assertEquals(serviceId, (Long) awaitPool("resized", -1).getProperty(Constants.SERVICE_ID), "the same service");

            Dictionary<String, Object> twoNodes = properties(active.url().toString(), standby.url().toString());
            twoNodes.put("size", 4);
            twoNodes.put("maxOverflow", "3");
            c.update(twoNodes);
            ServiceReference<ConnectionPool> replaced = awaitPool("resized", serviceId);
            assertNotEquals(serviceId, replaced.getProperty(Constants.SERVICE_ID));
            assertEquals(2, ((String[]) replaced.getProperty("vaultx.pool.nodes")).length);
            Await.until("the old pool closed", pool::isClosed);
            ConnectionPool newPool = context.getService(replaced);
            try {
                assertEquals(200, newPool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build()).status());
                assertEquals(4, newPool.config().size());
            } finally {
                context.ungetService(replaced);
            }
            Await.until("the new pool's MBeans (with the standby node)",
                    () -> MBEANS.isRegistered(PoolMBeans.nodeObjectName("resized", standby.url())));
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void deletingTheConfigurationClosesThePoolAndRemovesItsMBeans() throws Exception {
        Configuration c = createConfiguration("deleted", properties(active.url().toString()));
        ServiceReference<ConnectionPool> ref = awaitPool("deleted", -1);
        ConnectionPool pool = context.getService(ref);
        try {
            Await.until("the MBean of the pool 'deleted'", () -> MBEANS.isRegistered(PoolMBeans.poolObjectName("deleted")));

            c.delete();

            Await.until("no service for the pool 'deleted'", () -> pools("deleted").isEmpty());
            Await.until("the pool closed", pool::isClosed);
            Await.until("no MBean of the pool 'deleted'", () -> MBEANS.queryNames(PoolMBeans.poolPattern("deleted"), null).isEmpty());
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void anInvalidConfigurationIsLoggedAndRegistersNoServiceUntilItIsFixed() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Dictionary<String, Object> bad = properties(active.url().toString());
            bad.put("size", "abc");
            Configuration c = createConfiguration("broken", bad);
            Await.until("the error logged with key and value", () -> log.text().contains("size: abc (expected: an integer)"));
            assertTrue(log.text().contains("'broken'"), log.text());
            assertTrue(pools("broken").isEmpty(), "no service for an invalid configuration");

            Dictionary<String, Object> noNodes = new Hashtable<>();
            noNodes.put("size", 2);
            createConfiguration("nonodes", noNodes);
            Await.until("a missing nodes logged", () -> log.text().contains("'nonodes': nodes: "));
            assertTrue(pools("nonodes").isEmpty(), "no service without nodes");

            c.update(properties(active.url().toString()));
            awaitPool("broken", -1);
        }
    }

    @Test
    void theNamePropertyNamesThePoolAndNodesMayBeOneCommaSeparatedValue() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Configuration c = configAdmin.createFactoryConfiguration(PID, "?");
            created.add(c);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("name", "billing");
            props.put("nodes", active.url() + ", " + standby.url());
            props.put("prewarm", false);
            props.put("shutdownTimeout", "1s");
            props.put("maxoverflow", 3);
            c.update(props);

            ServiceReference<ConnectionPool> ref = awaitPool("billing", -1);
            assertArrayEquals(new String[] {active.url().toString(), standby.url().toString()},
                    (String[]) ref.getProperty("vaultx.pool.nodes"));
            Await.until("the unknown key logged", () -> log.text().contains("unknown keys [maxoverflow]"));
        }
    }

    @Test
    void withoutANameThePoolIsNamedAfterTheConfigurationOrItsFile() throws Exception {
        createConfiguration("ledger", properties(active.url().toString()));
        awaitPool("ledger", -1);

        // Felix fileinstall (Karaf's etc/) creates dev.vaultx.pool.<generated> for etc/dev.vaultx.pool-audit.cfg
        Configuration fromFile = configAdmin.createFactoryConfiguration(PID, "?");
        created.add(fromFile);
        Dictionary<String, Object> props = properties(active.url().toString());
        props.put("felix.fileinstall.filename", "file:/opt/karaf/etc/dev.vaultx.pool-audit.cfg");
        fromFile.update(props);
        awaitPool("audit", -1);
    }

    @Test
    void theWhiteboardRegistersMBeansOfAnyPoolServiceUntilItIsUnregistered() {
        PoolConfig config = PoolConfig.builder().name("app-owned").nodes(active.url().toString()).prewarm(false).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            ServiceRegistration<ConnectionPool> registration = context.registerService(ConnectionPool.class, pool, new Hashtable<>());
            Await.until("the MBean of an application's pool", () -> MBEANS.isRegistered(PoolMBeans.poolObjectName("app-owned")));
            registration.unregister();
            Await.until("its MBeans gone", () -> MBEANS.queryNames(PoolMBeans.poolPattern("app-owned"), null).isEmpty());
            assertFalse(pool.isClosed(), "the whiteboard does not close pools");
        }
    }

    @Test
    void anInvalidUpdateKeepsTheLastGoodPoolRunningAndLogsTheKeyAndValue() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Configuration c = createConfiguration("kept", properties(active.url().toString()));
            ServiceReference<ConnectionPool> ref = awaitPool("kept", -1);
            long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
            ConnectionPool pool = context.getService(ref);
            try {
                Dictionary<String, Object> typo = properties(active.url().toString());
                typo.put("size", "abc");
                c.update(typo);

                Await.until("the error logged with key and value", () -> log.text().contains("size: abc (expected: an integer)"));
                assertTrue(log.text().contains("'kept'") && log.text().contains("keeps running with its last valid configuration"),
                        log.text());
                assertFalse(pool.isClosed(), "the last good pool still runs");
                assertEquals(List.of(serviceId), pools("kept").stream().map(r -> r.getProperty(Constants.SERVICE_ID)).toList());
                assertEquals(200, pool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build()).status());
                assertEquals(2, pool.stats().size());

                Dictionary<String, Object> fixed = properties(active.url().toString());
                fixed.put("size", 3);
                c.update(fixed);
                Await.until("the fixed configuration applied in place", () -> pool.stats().size() == 3);
                assertEquals(serviceId, (Long) awaitPool("kept", -1).getProperty(Constants.SERVICE_ID), "the same service");
            } finally {
                context.ungetService(ref);
            }
        }
    }

    @Test
    void aMetricRegistryServiceGetsThePoolsMetricsAndItsDepartureRemovesThem() throws Exception {
        createConfiguration("metered", properties(active.url().toString()));
        long before = (Long) awaitPool("metered", -1).getProperty(Constants.SERVICE_ID);
        MetricRegistry registry = new MetricRegistry();

        ServiceRegistration<MetricRegistry> registration = context.registerService(MetricRegistry.class, registry, null);
        long withMetrics;
        try {
            // the reference is greedy and static: SCR reactivates the component, the pool is replaced by one using the registry
            ServiceReference<ConnectionPool> ref = awaitPool("metered", before);
            withMetrics = (Long) ref.getProperty(Constants.SERVICE_ID);
            ConnectionPool pool = context.getService(ref);
            try {
                assertEquals(200, pool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build()).status());
                Await.until("the request timed in the registry", () -> registry.getTimers().containsKey("vaultx.pool.metered.requests")
                        && registry.timer("vaultx.pool.metered.requests").getCount() == 1);
                assertTrue(registry.getGauges().containsKey("vaultx.pool.metered.connections.total"), registry.getNames().toString());
            } finally {
                context.ungetService(ref);
            }
        } finally {
            registration.unregister();
        }
        Await.until("the registry emptied when its pool was replaced", () -> registry.getNames().isEmpty());
        awaitPool("metered", withMetrics);
    }

    @Test
    void aMeterRegistryServiceGetsTheRequestAndTryTimersOfARunningPoolWithoutRestartingItAndItsDepartureRemovesThem()
            throws Exception {
        createConfiguration("micrometered", properties(active.url().toString()));
        ServiceReference<ConnectionPool> ref = awaitPool("micrometered", -1);
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        String node = active.url().getHost() + ":" + active.url().getPort();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConnectionPool pool = context.getService(ref);
        try {
            ServiceRegistration<MeterRegistry> registration = context.registerService(MeterRegistry.class, registry, null);
            try {
                Await.until("the pool's gauges in the registry",
                        () -> registry.find("vaultx.pool.connections").tag("pool", "micrometered").gauge());
                assertEquals(200, pool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build()).status());

                Timer requests = Await.until("the request timed", () -> registry.find("vaultx.pool.request.duration")
                        .tag("pool", "micrometered").tag("outcome", "success").tag("kind", "none").timer());
                assertEquals(1, requests.count());
                Timer tries = registry.find("vaultx.pool.node.try.duration").tag("pool", "micrometered").tag("node", node).timer();
                assertTrue(tries != null && tries.count() >= 1, String.valueOf(registry.getMetersAsString()));
                assertFalse(pool.isClosed(), "the tracker was attached to the running pool");
                assertEquals(serviceId, (Long) awaitPool("micrometered", -1).getProperty(Constants.SERVICE_ID), "the same service");
            } finally {
                registration.unregister();
            }
            Await.until("the registry emptied when its service went away", () -> registry.getMeters().isEmpty());
            assertEquals(200, pool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build()).status());
            assertTrue(registry.getMeters().isEmpty(), "a request after the departure registers nothing: " + registry.getMetersAsString());
            assertFalse(pool.isClosed());
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void aPoolStartedWhileAMeterRegistryServiceIsRegisteredUsesItAndDeletingItsConfigurationRemovesItsMeters()
            throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ServiceRegistration<MeterRegistry> registration = context.registerService(MeterRegistry.class, registry, null);
        try {
            Configuration c = createConfiguration("micrometered-later", properties(active.url().toString()));
            ServiceReference<ConnectionPool> ref = awaitPool("micrometered-later", -1);
            ConnectionPool pool = context.getService(ref);
            try {
                assertEquals(200, pool.request(VaultRequest.get(SECRET_PATH).token("s.osgi-test").build()).status());
                Timer requests = Await.until("the request timed", () -> registry.find("vaultx.pool.request.duration")
                        .tag("pool", "micrometered-later").timer());
                assertEquals(1, requests.count());
            } finally {
                context.ungetService(ref);
            }

            c.delete();

            Await.until("the pool closed", pool::isClosed);
            Await.until("its meters removed", () -> registry.find("vaultx.pool.request.duration").meters().isEmpty()
                    && registry.getMeters().isEmpty());
        } finally {
            registration.unregister();
        }
    }

    private Configuration createConfiguration(String name, Dictionary<String, Object> properties) throws IOException {
        Configuration c = configAdmin.getFactoryConfiguration(PID, name, "?");
        created.add(c);
        c.update(properties);
        return c;
    }

    private static Dictionary<String, Object> properties(String... nodes) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("nodes", nodes);
        p.put("size", 2);
        p.put("maxOverflow", 1);
        p.put("shutdownTimeout", "1s");
        return p;
    }

    /** @return a service of the pool, other than the one with {@code otherThan} as its service id */
    private ServiceReference<ConnectionPool> awaitPool(String name, long otherThan) {
        return Await.until("a ConnectionPool service named " + name, () -> pools(name).stream()
                .filter(r -> !Long.valueOf(otherThan).equals(r.getProperty(Constants.SERVICE_ID))).findFirst().orElse(null));
    }

    private List<ServiceReference<ConnectionPool>> pools(String name) {
        try {
            return new ArrayList<>(context.getServiceReferences(ConnectionPool.class, "(vaultx.pool.name=" + name + ")"));
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static int mbeanSize(String pool) {
        try {
            return (Integer) MBEANS.getAttribute(PoolMBeans.poolObjectName(pool), "Size");
        } catch (Exception notYet) {
            return -1;
        }
    }
}
