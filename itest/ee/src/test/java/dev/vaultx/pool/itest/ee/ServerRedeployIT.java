package dev.vaultx.pool.itest.ee;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * {@link RedeployScenario} in a real server (WildFly, Liberty): the server's JVM is looked at
 * through {@link ProbeServlet}, deployed on its own for the whole class.
 */
class ServerRedeployIT extends RedeployScenario {

    @Deployment(name = "probe")
    static WebArchive probe() {
        return Deployments.plain("probe.war", ProbeServlet.class, ServerState.class);
    }

    @ArquillianResource
    @OperateOnDeployment("probe")
    URL probe;

    @Override
    ServerState state(String pool) throws Exception {
        try (InputStream in = new URL(probe, "probe?pool=" + pool).openStream()) {
            return ServerState.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
