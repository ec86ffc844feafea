package dev.vaultx.pool.jmx;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.jmx.internal.PoolRegistration;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers a pool's MBeans: one {@link PoolMXBean} and one {@link NodeMXBean} per node.
 *
 * <pre>{@code
 * ConnectionPool pool = AsyncHttpConnectionPool.start(config);
 * Registration jmx = PoolMBeans.register(pool);   // dev.vaultx:type=ConnectionPool,name="orders"
 * ...
 * pool.close();                                   // also unregisters the MBeans
 * }</pre>
 *
 * <p>ObjectNames: {@code dev.vaultx:type=ConnectionPool,name=<ObjectName.quote(poolName)>} for the
 * pool and {@code dev.vaultx:type=ConnectionPool,name=<quoted>,node=<host_port>} for each node, where
 * {@code host_port} is e.g. {@code 127.0.0.1_8200} (quoted too if the host holds characters an
 * ObjectName value cannot, such as the colons of an IPv6 address).
 *
 * <p>This class is thread-safe.
 */
public final class PoolMBeans {

    /** The ObjectName domain of every vaultx-pool MBean. */
    public static final String DOMAIN = "dev.vaultx";

    /** The {@code type} key of the pool and node MBeans. */
    public static final String TYPE = "ConnectionPool";

    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9._\\-\\[\\]]+");

    private PoolMBeans() {
    }

    /**
     * Registers the pool's MBeans in the platform MBeanServer.
     *
     * @param pool an open pool
     * @return the registration; close it, or the pool, to unregister
     * @throws IllegalStateException if the pool is closed, or an MBean of a pool with the same name is
     *         already registered (the message names the ObjectName; nothing is overwritten and nothing
     *         of this call stays registered)
     */
    public static Registration register(ConnectionPool pool) {
        return register(pool, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers the pool's MBeans in the given MBeanServer. If any registration fails, those already
     * made by this call are undone before the exception is thrown.
     *
     * @param pool an open pool
     * @param server the MBeanServer
     * @return the registration; close it, or the pool, to unregister
     * @throws IllegalStateException if the pool is closed, or an MBean of a pool with the same name is
     *         already registered in {@code server}
     */
    public static Registration register(ConnectionPool pool, MBeanServer server) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(server, "server");
        return PoolRegistration.register(pool, server);
    }

    /**
     * @param poolName the pool's name
     * @return {@code dev.vaultx:type=ConnectionPool,name=<ObjectName.quote(poolName)>}
     */
    public static ObjectName poolObjectName(String poolName) {
        return objectName(DOMAIN + ":type=" + TYPE + ",name=" + ObjectName.quote(poolName));
    }

    /**
     * @param poolName the pool's name
     * @param node the node's base URI
     * @return {@code dev.vaultx:type=ConnectionPool,name=<quoted poolName>,node=<host_port>}
     */
    public static ObjectName nodeObjectName(String poolName, URI node) {
        String hostPort = node.getHost() + "_" + port(node);
        String value = PLAIN_VALUE.matcher(hostPort).matches() ? hostPort : ObjectName.quote(hostPort);
        return objectName(DOMAIN + ":type=" + TYPE + ",name=" + ObjectName.quote(poolName) + ",node=" + value);
    }

    /**
     * @param poolName the pool's name
     * @return the pattern {@code dev.vaultx:type=ConnectionPool,name=<quoted poolName>,*}, matching the
     *         pool's MBean and all its node MBeans (e.g. for {@code queryNames})
     */
    public static ObjectName poolPattern(String poolName) {
        return objectName(DOMAIN + ":type=" + TYPE + ",name=" + ObjectName.quote(poolName) + ",*");
    }

    /**
     * @param node a node's base URI
     * @return {@code host:port}, with the scheme's default port when the URI has none
     */
    public static String hostPort(URI node) {
        return node.getHost() + ":" + port(node);
    }

    private static int port(URI node) {
        if (node.getPort() >= 0) {
            return node.getPort();
        }
        return "https".equalsIgnoreCase(node.getScheme()) ? 443 : 80;
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("objectName: " + name + " (expected: a valid ObjectName)", e);
        }
    }
}
