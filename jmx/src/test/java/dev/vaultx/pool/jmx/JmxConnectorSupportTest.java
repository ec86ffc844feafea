package dev.vaultx.pool.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.Test;

class JmxConnectorSupportTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesThePlatformMBeanServerOnOneFixedLoopbackPort() throws Exception {
        int port = freePort();
        try (JmxServer server = JmxConnectorSupport.start(port)) {
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.url()).isEqualTo("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            assertThat(System.getProperty("java.rmi.server.hostname")).isEqualTo("127.0.0.1");
            try (JMXConnector client = JMXConnectorFactory.connect(server.serviceUrl())) {
                MBeanServerConnection connection = client.getMBeanServerConnection();
                assertThat(connection.getAttribute(new ObjectName("java.lang:type=Runtime"), "Name")).isNotNull();
            }
        }
    }

    @Test
    void closeFreesThePortAndIsIdempotent() throws Exception {
        int port = freePort();
        JmxServer server = JmxConnectorSupport.start(port);
        try (JMXConnector client = JMXConnectorFactory.connect(server.serviceUrl())) {
            assertThat(client.getMBeanServerConnection().getMBeanCount()).isPositive();
        }
        server.close();
        server.close();

        // the listening socket is released when RMI's accept thread wakes up from the close, a moment later
        await().atMost(Duration.ofSeconds(2)).ignoreException(BindException.class).untilAsserted(() -> {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        });
        try (JmxServer again = JmxConnectorSupport.start(port);
             JMXConnector client = JMXConnectorFactory.connect(again.serviceUrl())) {
            assertThat(again.port()).isEqualTo(port);
            assertThat(client.getMBeanServerConnection().getMBeanCount()).isPositive();
        }
    }

    @Test
    void aTakenPortFailsClearly() throws Exception {
        try (JmxServer server = JmxConnectorSupport.start(0)) {
            assertThat(server.port()).isPositive();
            assertThatThrownBy(() -> JmxConnectorSupport.start(server.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port: " + server.port() + " (expected: a free port on 127.0.0.1");
        }
        assertThatThrownBy(() -> JmxConnectorSupport.start(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 70000 (expected: 0-65535)");
    }

    @Test
    void doesNotListenOnOtherInterfaces() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> !isLoopback(i))
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeThat(external).as("a non-loopback IPv4 address").isPresent();
        try (JmxServer server = JmxConnectorSupport.start(0)) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(external.get(), server.port()), 2_000);
                }
            }).isInstanceOf(IOException.class);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
                assertThat(s.isConnected()).isTrue();
            }
        }
    }

    private static boolean isLoopback(NetworkInterface i) {
        try {
            return i.isLoopback() || !i.isUp();
        } catch (IOException e) {
            return true;
        }
    }
}
