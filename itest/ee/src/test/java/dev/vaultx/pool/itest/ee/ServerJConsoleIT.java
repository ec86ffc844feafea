package dev.vaultx.pool.itest.ee;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.vaultx.pool.jmx.PoolMXBean;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Does what JConsole does with a local process: attaches to the server's JVM, starts its local
 * management agent, connects, and reads and steers the deployment's pool. Real servers only (in
 * Weld embedded the container is this JVM, which may not attach to itself).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerJConsoleIT {

    static final String POOL = "console";

    @Deployment
    static WebArchive deployment() {
        return Deployments.war("jconsole.war", Deployments.pool(POOL, "size", "2"),
                JConsoleUser.class, ProbeServlet.class, ServerState.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void jconsoleAttachedToTheServerProcessSeesAndResizesThePool() throws Exception {
        long pid;
        try (InputStream in = new URL(base, "probe?pid").openStream()) {
            pid = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName("dev.vaultx:type=ConnectionPool,name=" + ObjectName.quote(POOL));

            assertThat(server.queryNames(new ObjectName("dev.vaultx:type=ConnectionPool,name=\"console\",*"), null)).hasSize(4);
            assertThat((String[]) server.getAttribute(name, "Nodes")).hasSize(3);
            assertThat(server.getAttribute(name, "Size")).isEqualTo(2);

            server.invoke(name, "resize", new Object[] {3, 0}, new String[] {"int", "int"});

            PoolMXBean pool = JMX.newMXBeanProxy(server, name, PoolMXBean.class);
            assertThat(pool.getSize()).isEqualTo(3);
            assertThat(pool.getMaxOverflow()).isZero();
            assertThat(pool.getHealthStatus()).isIn("UP", "DEGRADED");
        }
    }
}
