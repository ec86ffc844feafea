package dev.vaultx.pool.testkit;

import static dev.vaultx.pool.testkit.TestHttp.get;
import static dev.vaultx.pool.testkit.TestHttp.head;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.NodeRole;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthEndpointTest {

    /** Everything the official Go client sends (api/sys_health.go). */
    private static final String GO_CLIENT_QUERY = "?uninitcode=299&sealedcode=299&standbycode=299&drsecondarycode=299"
            + "&performancestandbycode=299&removedcode=299&haunhealthycode=299";

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startOneNodePerRole() {
        cluster = SimulatedVaultCluster.builder()
                .clusterName("vault-test")
                .clusterId("0f0e0d0c-1111-2222-3333-444455556666")
                .version("1.19.5")
                .roles(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.PERFORMANCE_STANDBY, NodeRole.DR_SECONDARY,
                        NodeRole.HA_UNHEALTHY, NodeRole.SEALED, NodeRole.UNINITIALIZED, NodeRole.REMOVED)
                .start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static URI node(NodeRole role) {
        return cluster.nodes().stream().filter(n -> n.role() == role).findFirst().orElseThrow().uri();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ACTIVE, 200",
        "STANDBY, 429",
        "PERFORMANCE_STANDBY, 473",
        "DR_SECONDARY, 472",
        "HA_UNHEALTHY, 474",
        "SEALED, 503",
        "UNINITIALIZED, 501",
        "REMOVED, 530"
    })
    void eachRoleAnswersItsDefaultStatusOnSysHealth(NodeRole role, int status) {
        HttpResponse<String> response = get(node(role), "/v1/sys/health");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"version\":\"1.19.5\"");
    }

    @ParameterizedTest(name = "{0} -> 299 and JSON body")
    @CsvSource({
        "STANDBY, '\"standby\":true,\"performance_standby\":false'",
        "PERFORMANCE_STANDBY, '\"standby\":true,\"performance_standby\":true'",
        "DR_SECONDARY, '\"replication_dr_mode\":\"secondary\"'",
        "HA_UNHEALTHY, '\"ha_connection_healthy\":false'",
        "SEALED, '\"sealed\":true'",
        "UNINITIALIZED, '\"initialized\":false'",
        "REMOVED, '\"removed_from_cluster\":true'"
    })
    void goClientOverridesRemapEveryNonActiveRoleTo299(NodeRole role, String bodyFragment) {
        HttpResponse<String> response = get(node(role), "/v1/sys/health" + GO_CLIENT_QUERY);

        assertThat(response.statusCode()).isEqualTo(299);
        assertThat(response.body()).contains(bodyFragment);
    }

    @Test
    void goClientOverridesLeaveTheActiveNodeAt200() {
        assertThat(get(node(NodeRole.ACTIVE), "/v1/sys/health" + GO_CLIENT_QUERY).statusCode()).isEqualTo(200);
    }

    @Test
    void activeNodeReportsTheFullBody() {
        String body = get(node(NodeRole.ACTIVE), "/v1/sys/health").body();

        assertThat(body).startsWith("{\"initialized\":true,\"sealed\":false,\"standby\":false,"
                + "\"performance_standby\":false,\"replication_performance_mode\":\"disabled\","
                + "\"replication_dr_mode\":\"disabled\",\"server_time_utc\":");
        assertThat(body).contains("\"cluster_name\":\"vault-test\"",
                "\"cluster_id\":\"0f0e0d0c-1111-2222-3333-444455556666\"", "\"removed_from_cluster\":false",
                "\"enterprise\":false");
        assertThat(body).doesNotContain("ha_connection_healthy");
    }

    @Test
    void sealedNodeOmitsClusterFields() {
        String body = get(node(NodeRole.SEALED), "/v1/sys/health").body();

        assertThat(body).contains("\"sealed\":true").doesNotContain("cluster_name", "cluster_id");
    }

    @Test
    void standbyReportsAHealthyHaConnection() {
        assertThat(get(node(NodeRole.STANDBY), "/v1/sys/health").body()).contains("\"ha_connection_healthy\":true");
    }

    @Test
    void standbyAnswers200WithStandbyOk() {
        assertThat(get(node(NodeRole.STANDBY), "/v1/sys/health?standbyok=true").statusCode()).isEqualTo(200);
    }

    @Test
    void standbyOkDoesNotApplyToPerformanceStandbys() {
        URI psb = node(NodeRole.PERFORMANCE_STANDBY);

        assertThat(get(psb, "/v1/sys/health?standbyok=true").statusCode()).isEqualTo(473);
        assertThat(get(psb, "/v1/sys/health?perfstandbyok=true").statusCode()).isEqualTo(200);
        assertThat(get(psb, "/v1/sys/health?perfstandbyok=true&activecode=204").statusCode()).isEqualTo(204);
    }

    @Test
    void activeCodeAndStandbyCodeOverridesAreHonoured() {
        assertThat(get(node(NodeRole.ACTIVE), "/v1/sys/health?activecode=218").statusCode()).isEqualTo(218);
        assertThat(get(node(NodeRole.STANDBY), "/v1/sys/health?standbycode=200").statusCode()).isEqualTo(200);
        assertThat(get(node(NodeRole.SEALED), "/v1/sys/health?sealedcode=299").statusCode()).isEqualTo(299);
    }

    @Test
    void headAnswersTheStatusWithoutBody() {
        HttpResponse<String> standby = head(node(NodeRole.STANDBY), "/v1/sys/health");
        HttpResponse<String> active = head(node(NodeRole.ACTIVE), "/v1/sys/health?standbyok=true");

        assertThat(standby.statusCode()).isEqualTo(429);
        assertThat(standby.body()).isEmpty();
        assertThat(standby.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(active.statusCode()).isEqualTo(200);
        assertThat(active.body()).isEmpty();
    }

    @Test
    void nonIntegerCodeAnswers400() {
        HttpResponse<String> response = get(node(NodeRole.ACTIVE), "/v1/sys/health?standbycode=abc");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualToIgnoringWhitespace("{\"errors\":[]}");
        assertThat(head(node(NodeRole.ACTIVE), "/v1/sys/health?haunhealthycode=4x4").statusCode()).isEqualTo(400);
    }

    @Test
    void badBooleanAnswers400() {
        HttpResponse<String> response = get(node(NodeRole.STANDBY), "/v1/sys/health?standbyok=yes");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("bad value for standbyok parameter");
    }

    @Test
    void otherMethodsAnswer405() {
        HttpResponse<String> response = TestHttp.send(TestHttp.request(node(NodeRole.ACTIVE), "/v1/sys/health")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void healthNeverAsksForAToken() {
        SimulatedVaultNode active = cluster.nodes().get(0);

        HttpResponse<String> response = get(active.uri(), "/v1/sys/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(active.requests()).last()
                .satisfies(r -> assertThat(r.header("X-Vault-Token")).isEmpty());
    }
}
