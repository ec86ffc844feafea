package dev.vaultx.pool.testkit;

import static dev.vaultx.pool.testkit.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultx.pool.NodeRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenBaoHealthTest {

    private static SimulatedVaultCluster bao;

    @BeforeAll
    static void start() {
        bao = SimulatedVaultCluster.builder().openBao()
                .roles(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY, NodeRole.STANDBY, NodeRole.SEALED)
                .start();
    }

    @AfterAll
    static void stop() {
        bao.close();
    }

    @Test
    void openBaoIgnoresPerformanceStandbyCode() {
        assertThat(get(bao.node(1).uri(), "/v1/sys/health?performancestandbycode=299").statusCode()).isEqualTo(429);
        assertThat(get(bao.node(1).uri(), "/v1/sys/health?perfstandbyok=true").statusCode()).isEqualTo(429);
    }

    @Test
    void openBaoDoesNotEvenParseTheParametersItIgnores() {
        assertThat(get(bao.node(2).uri(), "/v1/sys/health?haunhealthycode=nonsense&removedcode=x").statusCode())
                .isEqualTo(429);
    }

    @Test
    void openBaoHonoursItsOwnParameters() {
        assertThat(get(bao.node(2).uri(), "/v1/sys/health?standbycode=299").statusCode()).isEqualTo(299);
        assertThat(get(bao.node(2).uri(), "/v1/sys/health?standbyok=true").statusCode()).isEqualTo(200);
        assertThat(get(bao.node(3).uri(), "/v1/sys/health?sealedcode=299").statusCode()).isEqualTo(299);
        assertThat(get(bao.node(0).uri(), "/v1/sys/health?activecode=299").statusCode()).isEqualTo(299);
        assertThat(get(bao.node(0).uri(), "/v1/sys/health?uninitcode=bad").statusCode()).isEqualTo(400);
    }

    @Test
    void openBaoBodyHasNoVaultOnlyFields() {
        String body = get(bao.node(0).uri(), "/v1/sys/health").body();

        assertThat(body).contains("\"version\":\"2.3.1\"", "\"cluster_id\":")
                .doesNotContain("removed_from_cluster", "enterprise", "ha_connection_healthy");
    }
}
