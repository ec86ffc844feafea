package dev.vaultx.pool.jmx;

import dev.vaultx.pool.jmx.internal.LoopbackRmiServer;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import javax.management.MBeanServer;

/**
 * Starts a JMX RMI connector that JConsole can reach on this machine only, for demos and the CLI.
 *
 * <pre>{@code
 * try (JmxServer jmx = JmxConnectorSupport.start(9010)) {
 *     System.out.println("jconsole " + jmx.url());
 *     // service:jmx:rmi://127.0.0.1:9010/jndi/rmi://127.0.0.1:9010/jmxrmi
 * }
 * }</pre>
 *
 * <p>The RMI registry and the connector share the one given port and listen on 127.0.0.1 only. There
 * is no authentication and no TLS: anyone who can open a connection to 127.0.0.1 on this machine can
 * read and steer the pools. In production prefer the JDK's own agent
 * ({@code -Dcom.sun.management.jmxremote.*}) or the application server's JMX.
 *
 * <p>RMI puts the host from the system property {@code java.rmi.server.hostname} into the stubs it
 * hands to clients; {@link #start(int, MBeanServer)} sets it to {@code 127.0.0.1} when it is not set.
 * The JDK reads it once, at the first RMI export in the JVM, so an application that exports RMI
 * objects earlier should set {@code -Djava.rmi.server.hostname=127.0.0.1} itself.
 *
 * <p>This class is thread-safe.
 */
public final class JmxConnectorSupport {

    private JmxConnectorSupport() {
    }

    /**
     * Starts a connector to the platform MBeanServer.
     *
     * @param port the port of the registry and the connector, 1-65535; or 0 for a free port
     * @return the running server; close it to stop the connector and free the port
     * @throws IllegalArgumentException for a port out of range
     * @throws IllegalStateException if the port is taken or the connector cannot start
     */
    public static JmxServer start(int port) {
        return start(port, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Starts a connector to the given MBeanServer.
     *
     * @param port the port of the registry and the connector, 1-65535; or 0 for a free port
     * @param server the MBeanServer the clients see
     * @return the running server; close it to stop the connector and free the port
     * @throws IllegalArgumentException for a port out of range
     * @throws IllegalStateException if the port is taken or the connector cannot start
     */
    public static JmxServer start(int port, MBeanServer server) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        return LoopbackRmiServer.start(port, Objects.requireNonNull(server, "server"));
    }
}
