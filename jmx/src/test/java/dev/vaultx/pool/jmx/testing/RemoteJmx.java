package dev.vaultx.pool.jmx.testing;

import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.JmxConnectorSupport;
import dev.vaultx.pool.jmx.JmxServer;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;

/**
 * A 3-node simulated cluster, a loopback RMI connector on a free port and a client connected to it
 * as JConsole connects; plus the pools a test starts, closed afterwards. Not thread-safe: one per test class.
 */
public final class RemoteJmx implements AutoCloseable {

    public static final String SECRET_PATH = "/v1/secret/data/app";

    public final SimulatedVaultCluster cluster;
    public final JmxServer jmx;
    public final JMXConnector connector;
    public final MBeanServerConnection connection;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    private RemoteJmx(SimulatedVaultCluster cluster, JmxServer jmx, JMXConnector connector) throws IOException {
        this.cluster = cluster;
        this.jmx = jmx;
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
    }

    public static RemoteJmx start() throws IOException {
        SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3);
        cluster.put("app", Map.of("password", "s3cr3t"));
        JmxServer jmx = JmxConnectorSupport.start(0);
        return new RemoteJmx(cluster, jmx, JMXConnectorFactory.connect(jmx.serviceUrl()));
    }

    /** Starts a pool on the cluster, ready (roles known); closed by {@link #closePools()}. */
    public AsyncHttpConnectionPool pool(String name, UnaryOperator<PoolConfigBuilder> custom) {
        PoolConfig config = custom.apply(PoolConfig.builder().name(name).nodeUris(cluster.urls()).size(2).maxOverflow(3))
                .build();
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config);
        toClose.push(pool);
        pool.awaitReady(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().activeNode() != null);
        return pool;
    }

    public AsyncHttpConnectionPool pool(String name) {
        return pool(name, b -> b);
    }

    /** Closes this resource after the test (in reverse order of registration). */
    public <T extends AutoCloseable> T closeLater(T resource) {
        toClose.push(resource);
        return resource;
    }

    public static VaultResponse read(AsyncHttpConnectionPool pool) {
        return pool.request(VaultRequest.get(SECRET_PATH).token("root").build());
    }

    public void closePools() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closePools();
        try {
            connector.close();
        } finally {
            jmx.close();
            cluster.close();
        }
    }
}
