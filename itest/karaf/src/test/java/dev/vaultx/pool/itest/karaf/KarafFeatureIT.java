package dev.vaultx.pool.itest.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.PoolMXBean;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * vaultx-pool in a real Apache Karaf (apache-karaf-minimal, {@code karaf.version} of the build): the features repository
 * of this build is added and {@code vaultx-pool} installed through Karaf's features MBean (what {@code feature:repo-add}
 * and {@code feature:install} do), then pools are created, broken and removed through {@code etc/*.cfg} files, as an
 * operator would. Everything is observed from outside, through Karaf's JMX RMI connector with the user karaf/karaf, as
 * JConsole would. The Vault nodes are simulated on 127.0.0.1.
 *
 * <p>Each test uses its own pool (its own {@code .cfg} file), so they do not depend on one another.
 */
class KarafFeatureIT {

    private static final String VERSION = System.getProperty("vaultx.version");
    private static final String FEATURES_REPOSITORY = "mvn:dev.vaultx/vaultx-pool-features/" + VERSION + "/xml/features";
    private static final String CONNECTION_POOL = "dev.vaultx.pool.ConnectionPool";
    private static final Duration KARAF_START = Duration.ofMinutes(2);
    /** fileinstall polls etc/ every second; a pool starts in milliseconds */
    private static final Duration CONFIG_APPLIED = Duration.ofSeconds(30);

    private static SimulatedVaultCluster cluster;
    private static KarafInstance karaf;
    private static JMXConnector connector;
    private static MBeanServerConnection jmx;

    @BeforeAll
    static void startKarafAndInstallFeature() throws Exception {
        cluster = SimulatedVaultCluster.start(2);
        karaf = KarafInstance.configure(Path.of(System.getProperty("karaf.home")), Path.of(System.getProperty("karaf.repo")))
                .start();
        connector = karaf.connectJmx(KARAF_START);
        jmx = connector.getMBeanServerConnection();

        // the connector starts before Karaf has installed its boot features (the last of which is management)
        ObjectName features = new ObjectName("org.apache.karaf:type=feature,name=root");
        await("Karaf's boot features").atMost(KARAF_START).ignoreExceptions()
                .until(() -> jmx.isRegistered(features) && installed(features, "management"));
        // feature:repo-add mvn:dev.vaultx/vaultx-pool-features/<version>/xml/features
        jmx.invoke(features, "addRepository", new Object[] {FEATURES_REPOSITORY}, new String[] {String.class.getName()});
        // feature:install vaultx-pool (returns when the bundles are installed and started)
        jmx.invoke(features, "installFeature", new Object[] {"vaultx-pool"}, new String[] {String.class.getName()});
    }

    @AfterAll
    static void stopKaraf() throws IOException {
        try {
            if (connector != null) {
                connector.close();
            }
        } finally {
            try {
                if (karaf != null) {
                    karaf.close();
                }
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
            }
        }
    }

    @Test
    void featureInstallLeavesEveryBundleActive() throws Exception {
        assertThat(installed(new ObjectName("org.apache.karaf:type=feature,name=root"), "vaultx-pool")).isTrue();

        List<CompositeData> bundles = bundles();
        Map<String, String> states = bundles.stream().collect(Collectors.toMap(b -> (String) b.get("SymbolicName"),
                b -> (String) b.get("State"), (a, b) -> a + "," + b, TreeMap::new));
        assertThat(states).containsEntry("dev.vaultx.pool.api", "ACTIVE")
                .containsEntry("dev.vaultx.pool.impl", "ACTIVE")
                .containsEntry("dev.vaultx.pool.jmx", "ACTIVE")
                .containsEntry("dev.failsafe", "ACTIVE")
                .containsEntry("io.dropwizard.metrics.core", "ACTIVE")
                .containsEntry("com.fasterxml.jackson.core.jackson-core", "ACTIVE")
                .containsEntry("org.apache.felix.scr", "ACTIVE");
        // nothing installed but unresolved: every bundle is ACTIVE, fragments are RESOLVED (attached)
        assertThat(bundles).allSatisfy(b -> assertThat(b.get("State"))
                .as("state of %s", b.get("SymbolicName"))
                .isEqualTo(Boolean.TRUE.equals(b.get("Fragment")) ? "RESOLVED" : "ACTIVE"));

        // the pool's bundle gets SLF4J from Pax Logging (no slf4j-api bundle of ours) and HttpClient from inside itself
        CompositeData pool = bundles.stream().filter(b -> "dev.vaultx.pool.impl".equals(b.get("SymbolicName"))).findFirst().orElseThrow();
        List<String> imported = Arrays.asList((String[]) pool.get("ImportedPackages"));
        assertThat(imported).anySatisfy(p -> assertThat(p).startsWith("org.slf4j;"))
                .noneSatisfy(p -> assertThat(p).startsWith("org.apache.hc."));
        assertThat(states).doesNotContainKey("slf4j.api");
    }

    @Test
    void featureInstallStartsPoolFromFactoryConfiguration() throws Exception {
        String cfg = "dev.vaultx.pool-payments.cfg";
        karaf.writeEtc(cfg, List.of("nodes = " + nodes(), "size = 4", "borrowTimeout = 2s"));
        try {
            ObjectName poolName = PoolMBeans.poolObjectName("payments");
            await("the pool's MBean over JMX RMI").atMost(CONFIG_APPLIED).until(() -> jmx.isRegistered(poolName));
            assertThat(poolServices("payments")).hasSize(1);
            for (URI node : cluster.urls()) {
                assertThat(jmx.isRegistered(PoolMBeans.nodeObjectName("payments", node))).as("MBean of node %s", node).isTrue();
            }

            PoolMXBean pool = JMX.newMXBeanProxy(jmx, poolName, PoolMXBean.class);
            assertThat(pool.getName()).isEqualTo("payments");
            assertThat(pool.getSize()).isEqualTo(4);
            String active = PoolMBeans.hostPort(cluster.node(0).uri());
            // the pool's first probes (its HTTP client, inside Karaf, to the nodes on 127.0.0.1) found the active node
            await("the pool's health").atMost(CONFIG_APPLIED).until(() -> "UP".equals(pool.getHealthStatus()));
            assertThat(pool.getActiveNode()).isEqualTo(active);

            // and requests on demand: every node's /v1/sys/health, answered
            assertProbesEveryNodeUp(pool);
        } finally {
            Files.deleteIfExists(karaf.etc(cfg));
        }
    }

    @Test
    void invalidConfigUpdateKeepsLastGoodPool() throws Exception {
        String cfg = "dev.vaultx.pool-audit.cfg";
        karaf.writeEtc(cfg, List.of("nodes = " + nodes(), "size = 3"));
        try {
            await("the pool 'audit'").atMost(CONFIG_APPLIED).until(() -> poolServices("audit").size() == 1);
            Object serviceId = poolServices("audit").get(0).get("Identifier");

            karaf.writeEtc(cfg, List.of("nodes = " + nodes(), "size = -1"));

            await("the error in karaf.log").atMost(CONFIG_APPLIED).until(() -> karaf.karafLog().contains(
                    "invalid configuration dev.vaultx.pool~audit of the pool 'audit': size: -1 (expected: 1-10000);"
                            + " the pool keeps running with its last valid configuration"));
            assertThat(karaf.karafLog()).containsPattern("ERROR .*dev\\.vaultx\\.pool~audit.*size: -1");
            // the same service, still configured as before, still serving
            assertThat(poolServices("audit")).singleElement().satisfies(s -> assertThat(s.get("Identifier")).isEqualTo(serviceId));
            PoolMXBean pool = JMX.newMXBeanProxy(jmx, PoolMBeans.poolObjectName("audit"), PoolMXBean.class);
            assertThat(pool.getSize()).isEqualTo(3);
            assertProbesEveryNodeUp(pool);
        } finally {
            Files.deleteIfExists(karaf.etc(cfg));
        }
    }

    @Test
    void deletingConfigurationRemovesPoolAndMBeans() throws Exception {
        String cfg = "dev.vaultx.pool-reports.cfg";
        karaf.writeEtc(cfg, List.of("nodes = " + nodes()));
        ObjectName pattern = PoolMBeans.poolPattern("reports");
        await("the pool 'reports' and its MBeans").atMost(CONFIG_APPLIED)
                .until(() -> poolServices("reports").size() == 1 && jmx.queryNames(pattern, null).size() == 1 + cluster.size());

        Files.delete(karaf.etc(cfg));

        await("the pool's MBeans gone").atMost(CONFIG_APPLIED).until(() -> jmx.queryNames(pattern, null).isEmpty());
        assertThat(poolServices("reports")).isEmpty();
        // the MBeans go first; the pool logs "closed" once its connections and I/O threads have stopped
        await("the pool logged its close").atMost(CONFIG_APPLIED).untilAsserted(() ->
                assertThat(karaf.karafLog()).contains("closed the pool 'reports' (dev.vaultx.pool~reports)"));
    }

    /** checkHealthNow sends /v1/sys/health to every node through the pool (inside Karaf) and finds node 0 active. */
    private static void assertProbesEveryNodeUp(PoolMXBean pool) {
        long probesBefore = cluster.totalRequests("/v1/sys/health");
        assertThat(pool.checkHealthNow()).isEqualTo("UP (active: " + PoolMBeans.hostPort(cluster.node(0).uri()) + ")");
        assertThat(cluster.totalRequests("/v1/sys/health")).isGreaterThanOrEqualTo(probesBefore + cluster.size());
    }

    private static String nodes() {
        return cluster.urls().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** @return whether Karaf lists the feature (any version) as installed */
    private static boolean installed(ObjectName featuresMBean, String feature) throws Exception {
        return rows((TabularData) jmx.getAttribute(featuresMBean, "Features")).stream()
                .anyMatch(f -> feature.equals(f.get("Name")) && Boolean.TRUE.equals(f.get("Installed")));
    }

    /** ConnectionPool services with this pool name, as the OSGi service state MBean lists them. */
    private static List<CompositeData> poolServices(String poolName) throws Exception {
        ObjectName serviceState = jmx.queryNames(new ObjectName("osgi.core:type=serviceState,*"), null).iterator().next();
        TabularData services = (TabularData) jmx.invoke(serviceState, "listServices",
                new Object[] {CONNECTION_POOL, "(vaultx.pool.name=" + poolName + ")"},
                new String[] {String.class.getName(), String.class.getName()});
        return rows(services);
    }

    private static List<CompositeData> bundles() throws Exception {
        ObjectName bundleState = jmx.queryNames(new ObjectName("osgi.core:type=bundleState,*"), null).iterator().next();
        return rows((TabularData) jmx.invoke(bundleState, "listBundles", new Object[0], new String[0]));
    }

    private static List<CompositeData> rows(TabularData table) {
        List<CompositeData> rows = new ArrayList<>();
        for (Object row : table.values()) {
            rows.add((CompositeData) row);
        }
        return rows;
    }
}
