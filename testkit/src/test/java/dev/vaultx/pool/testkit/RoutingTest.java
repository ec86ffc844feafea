package dev.vaultx.pool.testkit;

import static dev.vaultx.pool.testkit.TestHttp.TOKEN;
import static dev.vaultx.pool.testkit.TestHttp.get;
import static dev.vaultx.pool.testkit.TestHttp.getWithToken;
import static dev.vaultx.pool.testkit.TestHttp.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.NodeRole;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTest {

    @Test
    void writeOnActiveThenReadFromStandbyIsForwarded() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            HttpResponse<String> written = write(cluster.node(0).uri(), "/v1/secret/data/app/db",
                    "{\"data\":{\"password\":\"s3cr3t\"}}");
            HttpResponse<String> read = getWithToken(cluster.node(2).uri(), "/v1/secret/data/app/db");

            assertThat(written.statusCode()).isEqualTo(200);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"data\":{\"data\":{\"password\":\"s3cr3t\"}", "\"version\":1");
            assertThat(cluster.node(2).requestCount("/v1/secret")).isEqualTo(1);
            assertThat(cluster.node(0).requestCount("/v1/secret")).isEqualTo(1);
        }
    }

    @Test
    void redirectModeStandbyAnswers307ToTheActiveNode() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(2).redirectStandbys().start()) {
            HttpResponse<String> response = getWithToken(cluster.node(1).uri(), "/v1/secret/data/a?version=2");

            assertThat(response.statusCode()).isEqualTo(307);
            assertThat(response.headers().firstValue("Location"))
                    .hasValue(cluster.node(0).uri() + "/v1/secret/data/a?version=2");
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void noRequestForwardingHeaderMakesAStandbyRedirect() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(2)) {
            HttpResponse<String> response = TestHttp.send(TestHttp.request(cluster.node(1).uri(), "/v1/secret/data/x")
                    .header("X-Vault-Token", TOKEN).header("X-Vault-No-Request-Forwarding", "true").GET().build());

            assertThat(response.statusCode()).isEqualTo(307);
            assertThat(response.headers().firstValue("Location")).hasValue(cluster.node(0).uri() + "/v1/secret/data/x");
        }
    }

    @Test
    void noActiveNodeAnswers503() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(2)) {
            cluster.stepDown();

            HttpResponse<String> response = getWithToken(cluster.node(1).uri(), "/v1/secret/data/x");

            assertThat(cluster.active()).isEmpty();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualToIgnoringWhitespace("{\"errors\":[\"no active Vault instance found\"]}");
            assertThat(get(cluster.node(0).uri(), "/v1/sys/health").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void sealedAndUninitializedNodesAnswer503() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder()
                .roles(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.UNINITIALIZED).start()) {
            cluster.node(1).seal();

            HttpResponse<String> sealed = getWithToken(cluster.node(1).uri(), "/v1/secret/data/x");
            HttpResponse<String> uninit = getWithToken(cluster.node(2).uri(), "/v1/secret/data/x");

            assertThat(sealed.statusCode()).isEqualTo(503);
            assertThat(sealed.body()).contains("Vault is sealed");
            assertThat(uninit.statusCode()).isEqualTo(503);

            cluster.node(1).unseal();
            assertThat(cluster.node(1).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(getWithToken(cluster.node(1).uri(), "/v1/secret/data/x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void performanceStandbyServesReadsLocallyAndRedirectsWritesWhenForwardingIsOff() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder()
                .roles(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY).redirectStandbys().start()) {
            cluster.put("shared", Map.of("k", "v"));
            java.net.URI psb = cluster.node(1).uri();

            assertThat(getWithToken(psb, "/v1/secret/data/shared").statusCode()).isEqualTo(200);
            assertThat(write(psb, "/v1/secret/data/shared", "{\"data\":{\"k\":\"w\"}}").statusCode()).isEqualTo(307);
        }
    }

    @Test
    void electLeaderMovesTheActiveRole() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            cluster.electLeader(2);

            assertThat(cluster.active()).containsSame(cluster.node(2));
            assertThat(cluster.node(0).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(get(cluster.node(0).uri(), "/v1/sys/health").statusCode()).isEqualTo(429);
            assertThat(get(cluster.node(2).uri(), "/v1/sys/health").statusCode()).isEqualTo(200);
            assertThat(get(cluster.node(0).uri(), "/v1/sys/leader").body())
                    .contains("\"is_self\":false", "\"leader_address\":\"" + cluster.node(2).uri() + "\"");
        }
    }

    @Test
    void drSecondaryRejectsApiRequests() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder()
                .roles(NodeRole.ACTIVE, NodeRole.DR_SECONDARY).start()) {
            HttpResponse<String> response = getWithToken(cluster.node(1).uri(), "/v1/secret/data/x");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("path disabled in replication DR secondary mode");
        }
    }

    @Test
    void standbysKeepForwardingUntilANewLeaderIsElectedEvenIfTheActiveNodeIsStopped() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            cluster.put("app", Map.of("k", "v"));
            cluster.node(0).stop();

            assertThat(cluster.active()).containsSame(cluster.node(0));
            assertThat(getWithToken(cluster.node(1).uri(), "/v1/secret/data/app").statusCode()).isEqualTo(200);

            cluster.electLeader(1);

            assertThat(getWithToken(cluster.node(2).uri(), "/v1/secret/data/app").statusCode()).isEqualTo(200);
            assertThat(get(cluster.node(1).uri(), "/v1/sys/health").statusCode()).isEqualTo(200);
        }
    }
}
