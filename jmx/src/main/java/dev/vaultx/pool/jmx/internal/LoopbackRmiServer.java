package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.jmx.JmxServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.rmi.AlreadyBoundException;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.ExportException;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;

/**
 * An RMI registry plus an RMI connector server on one fixed port of 127.0.0.1 (BUILD-FACTS §5). The
 * connector object is exported on the registry's port (not on a random one) with the same loopback
 * socket factory, which keeps both off other interfaces, and its stub is bound in the registry as
 * {@code jmxrmi}; clients use {@code service:jmx:rmi://127.0.0.1:P/jndi/rmi://127.0.0.1:P/jmxrmi}.
 * Closing unbinds, stops the connector, unexports the registry and closes connections left open, so
 * the port can be bound again at once.
 *
 * <p>This class is thread-safe.
 */
public final class LoopbackRmiServer implements JmxServer {

    private static final System.Logger LOG = System.getLogger(LoopbackRmiServer.class.getName());
    private static final String HOSTNAME_PROPERTY = "java.rmi.server.hostname";
    private static final int FREE_PORT_ATTEMPTS = 5;
    private static final String BINDING = "jmxrmi";

    private final int port;
    private final JMXServiceURL url;
    private final String address;
    private final LoopbackServerSocketFactory sockets;
    private final Registry registry;
    private final JMXConnectorServer connector;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LoopbackRmiServer(int port, JMXServiceURL url, String address, Registry registry, JMXConnectorServer connector,
                              LoopbackServerSocketFactory sockets) {
        this.port = port;
        this.url = url;
        this.address = address;
        this.sockets = sockets;
        this.registry = registry;
        this.connector = connector;
    }

    /**
     * @param port 1-65535, or 0 for a free port (picked, then bound; retried if another process wins the race)
     * @param server the MBeanServer to serve
     * @return the started server
     */
    public static LoopbackRmiServer start(int port, MBeanServer server) {
        ensureHostname();
        if (port != 0) {
            return startOn(port, server);
        }
        IllegalStateException last = null;
        for (int i = 0; i < FREE_PORT_ATTEMPTS; i++) {
            try {
                return startOn(freePort(), server);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static LoopbackRmiServer startOn(int port, MBeanServer server) {
        LoopbackServerSocketFactory sockets = new LoopbackServerSocketFactory();
        Registry registry;
        try {
            registry = LocateRegistry.createRegistry(port, null, sockets);
        } catch (ExportException e) {
            throw new IllegalStateException("port: " + port + " (expected: a free port on 127.0.0.1; " + rootMessage(e) + ")", e);
        } catch (RemoteException e) {
            throw new IllegalStateException("cannot start an RMI registry on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        String address = "service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
        JMXConnectorServer connector = null;
        try {
            Map<String, Object> env = new HashMap<>();
            env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
            // no authentication: still, let a client's "credentials" deserialize to strings only (as the JDK's agent does)
            env.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, String.class.getName() + ";!*");
            // Export the connector ourselves and bind its stub into our registry object directly, as the JDK's own
            // agent does: a JNDI bind would be an RMI call from this JVM to itself, whose pooled connections to the
            // port outlive close() and keep the port from being bound again for a while.
            RMIJRMPServerImpl rmiServer = new RMIJRMPServerImpl(port, null, sockets, env);
            connector = new RMIConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port), env, rmiServer, server);
            connector.start();
            registry.bind(BINDING, rmiServer.toStub());
            LOG.log(System.Logger.Level.INFO, "JMX connector listening on 127.0.0.1:" + port + ": " + address);
            return new LoopbackRmiServer(port, new JMXServiceURL(address), address, registry, connector, sockets);
        } catch (IOException | AlreadyBoundException | RuntimeException e) {
            stop(connector);
            unexport(registry);
            sockets.closeAccepted();
            throw new IllegalStateException("cannot start the JMX connector " + address + ": " + e.getMessage(), e);
        }
    }

    /** The JDK reads the property at the first RMI export; without it stubs carry the machine's name or address. */
    private static void ensureHostname() {
        String host = System.getProperty(HOSTNAME_PROPERTY);
        if (host == null || host.isBlank()) {
            System.setProperty(HOSTNAME_PROPERTY, "127.0.0.1");
        } else if (!"127.0.0.1".equals(host) && !"localhost".equalsIgnoreCase(host)) {
            LOG.log(System.Logger.Level.WARNING, "{0}={1}: clients are told to connect there, but the JMX connector "
                    + "listens on 127.0.0.1 only", HOSTNAME_PROPERTY, host);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, LoopbackServerSocketFactory.LOOPBACK)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String url() {
        return address;
    }

    @Override
    public JMXServiceURL serviceUrl() {
        return url;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            registry.unbind(BINDING);
        } catch (RemoteException | NotBoundException e) {
            // unbound already; the registry goes away below anyway
        }
        stop(connector);
        unexport(registry);
        // RMI leaves accepted connections open until their clients drop them (an RMI client pools idle ones
        // for 15 s): close them, so the port is free again at once
        sockets.closeAccepted();
    }

    private static void stop(JMXConnectorServer connector) {
        if (connector == null) {
            return;
        }
        try {
            connector.stop();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the JMX connector " + connector.getAddress() + " failed", e);
        }
    }

    private static void unexport(Registry registry) {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException alreadyGone) {
            // nothing to free
        }
    }

    @Override
    public String toString() {
        return "JmxServer[" + url + (closed.get() ? ", closed" : "") + "]";
    }
}
