package dev.vaultx.pool.cli;

import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeCommandTest {

    @Test
    @SuppressWarnings("unchecked")
    void listsEachNodeWithRoleAndClusterIdAndAStoppedNodeAsUnreachable() throws Exception {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            String nodes = String.join(",", cluster.urls().stream().map(URI::toString).toList());

            CliRun up = CliRun.run("probe", "--nodes", nodes, "--json");
            assertThat(up.exitCode()).as(up.err()).isZero();
            Map<String, Object> json = CliRun.parseOneObject(up.out());
            List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("nodes");
            assertThat(rows).extracting(m -> m.get("url"))
                    .containsExactlyElementsOf(cluster.urls().stream().map(URI::toString).toList());
            assertThat(rows).extracting(m -> m.get("role")).containsExactly("ACTIVE", "STANDBY", "STANDBY");
            assertThat(rows).allSatisfy(m -> {
                assertThat(m.get("clusterId")).isEqualTo(cluster.clusterId());
                assertThat(m.get("version")).isEqualTo(cluster.version());
                assertThat(m.get("sealed")).isEqualTo(false);
                assertThat(m.get("error")).isNull();
                assertThat(((Number) m.get("latencyMs")).doubleValue()).isPositive();
            });
            assertThat(json.get("activeNodes")).isEqualTo(List.of(cluster.node(0).uri().toString()));
            assertThat(json.get("clusterIdConsistent")).isEqualTo(true);
            // the probe never sends a token
            assertThat(cluster.node(0).requests()).filteredOn(q -> q.path().equals("/v1/sys/health"))
                    .isNotEmpty().allSatisfy(q -> assertThat(q.header("X-Vault-Token")).isEmpty());

            cluster.node(2).stop();
            cluster.node(1).seal();
            CliRun down = CliRun.run("probe", "--nodes", nodes, "--json", "--timeout", "1s");
            assertThat(down.exitCode()).as(down.err()).isZero();
            rows = (List<Map<String, Object>>) CliRun.parseOneObject(down.out()).get("nodes");
            assertThat(rows).extracting(m -> m.get("role")).containsExactly("ACTIVE", "SEALED", "UNREACHABLE");
            assertThat(rows.get(1).get("sealed")).isEqualTo(true);
            assertThat(rows.get(2).get("error")).asString().contains("connection refused");
            assertThat(rows.get(2).get("clusterId")).isNull();

            cluster.node(1).blackhole();
            CliRun slow = CliRun.run("probe", "--nodes", nodes, "--json", "--timeout", "300ms");
            rows = (List<Map<String, Object>>) CliRun.parseOneObject(slow.out()).get("nodes");
            assertThat(rows.get(1)).containsEntry("role", "UNREACHABLE").containsEntry("error", "no answer within 300ms");
            cluster.node(1).clearFaults();

            CliRun table = CliRun.run("probe", "--nodes", nodes, "--timeout", "1s");
            assertThat(table.exitCode()).isZero();
            assertThat(table.out().lines().findFirst()).hasValueSatisfying(header ->
                    assertThat(header).startsWith("NODE").contains("ROLE", "SEALED", "VERSION", "CLUSTER_ID", "LATENCY", "ERROR"));
            assertThat(table.out()).contains(cluster.clusterId(), "UNREACHABLE", "connection refused",
                    "2 of 3 nodes answered; active node: " + cluster.node(0).uri());
        }
    }
}
