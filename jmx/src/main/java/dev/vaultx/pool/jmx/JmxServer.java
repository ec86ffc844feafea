package dev.vaultx.pool.jmx;

import javax.management.remote.JMXServiceURL;

/**
 * A running RMI connector server started by {@link JmxConnectorSupport#start(int)}: the RMI registry
 * and the connector share one port on 127.0.0.1.
 *
 * <p>This interface is thread-safe.
 */
public interface JmxServer extends AutoCloseable {

    /** @return the port of the registry and the connector */
    int port();

    /** @return the address to give JConsole, {@code service:jmx:rmi://127.0.0.1:P/jndi/rmi://127.0.0.1:P/jmxrmi} */
    String url();

    /** @return {@link #url()} as a {@link JMXServiceURL}, for {@link javax.management.remote.JMXConnectorFactory#connect} */
    JMXServiceURL serviceUrl();

    /**
     * Stops the connector (closing client connections) and unexports the registry, freeing the port.
     * Idempotent; never throws.
     */
    @Override
    void close();
}
