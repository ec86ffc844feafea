package dev.vaultx.pool.itest.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.mphealth.ReadinessExtension;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Open Liberty with {@code mpHealth-4.0}: a WAR with {@code vaultx-pool-mphealth} has a readiness check
 * for its pool on {@code GET /health/ready}, UP with role, breaker and active node, and DOWN (503) while
 * every node of the cluster is stopped.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LibertyHealthIT {

    private static final URI READY = URI.create("http://127.0.0.1:9080/health/ready");

    /** Not {@code health.war}: its context root would clash with Liberty's own {@code /health}. */
    @Deployment
    static WebArchive deployment() {
        WebArchive war = Deployments.war("readiness.war", Deployments.pool("health", "size", "1", "healthCheckInterval", "500ms",
                "healthCheckTimeout", "500ms", "timeout", "500ms"), HealthUser.class);
        war.addAsLibrary(mphealthJar());
        return war;
    }

    private static JavaArchive mphealthJar() {
        try {
            File location = new File(ReadinessExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.isDirectory()
                    ? ShrinkWrap.create(ExplodedImporter.class, "vaultx-pool-mphealth.jar").importDirectory(location).as(JavaArchive.class)
                    : ShrinkWrap.createFromZipFile(JavaArchive.class, location);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readinessShowsThePoolUpAndTurnsDownWhenEveryNodeIsStopped() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        SimulatedVaultCluster cluster = TestCluster.get();
        String activeHostPort = "127.0.0.1:" + cluster.node(0).port();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> up = get(http);
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(up.body()).contains("\"vaultx-pool.health\"").contains("\"activeNode\"")
                    .contains("\"" + activeHostPort + "\"").contains("ACTIVE/CLOSED");
        });

        try {
            cluster.nodes().forEach(SimulatedVaultNode::stop);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> down = get(http);
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains("\"vaultx-pool.health\"").contains("\"DOWN\"");
            });
        } finally {
            cluster.nodes().forEach(SimulatedVaultNode::start);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get(http).statusCode() == 200);
    }

    private static HttpResponse<String> get(HttpClient http) throws Exception {
        return http.send(HttpRequest.newBuilder(READY).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
