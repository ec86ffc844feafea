package dev.vaultx.pool.cli;

import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoadCommandTest {

    private static final String TOKEN = "s.cliTestToken-7f3a9c";
    private static final String TOKEN_VAR = "CLI_TEST_VAULT_TOKEN";

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.builder().nodes(3).token(TOKEN).start();
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static String nodes() {
        return String.join(",", cluster.urls().stream().map(URI::toString).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonRunPrintsExactlyOneObjectWithTheResults() throws Exception {
        cluster.resetJournals();
        CliRun r = CliRun.run(Map.of(TOKEN_VAR, TOKEN)::get, "load", "--nodes", nodes(), "--path", "/v1/secret/data/app",
                "--concurrency", "8", "--duration", "1500ms", "--token-env", TOKEN_VAR, "--size", "4", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.systemOut()).as("nothing printed to the real stdout").isEmpty();
        Map<String, Object> json = CliRun.parseOneObject(r.out());
        assertThat(json).containsKeys("requests", "succeeded", "failed", "failuresByKind", "throughputPerSec", "latencyMs",
                "perNode", "stats", "health");
        long requests = (Long) json.get("requests");
        long succeeded = (Long) json.get("succeeded");
        assertThat(succeeded).isPositive();
        assertThat(requests).isEqualTo(succeeded + (Long) json.get("failed"));
        assertThat(json.get("failed")).as("failures: %s", json.get("failuresByKind")).isEqualTo(0L);
        assertThat((Map<String, Object>) json.get("failuresByKind")).isEmpty();
        assertThat(((Number) json.get("throughputPerSec")).doubleValue()).isPositive();
        Map<String, Object> latency = (Map<String, Object>) json.get("latencyMs");
        assertThat(latency).containsKeys("p50", "p90", "p99", "max");
        double p50 = ((Number) latency.get("p50")).doubleValue();
        double p99 = ((Number) latency.get("p99")).doubleValue();
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(((Number) latency.get("max")).doubleValue());

        Map<String, Object> perNode = (Map<String, Object>) json.get("perNode");
        assertThat(perNode.keySet()).containsExactlyElementsOf(cluster.urls().stream().map(URI::toString).toList());
        assertThat(perNode.values().stream().mapToLong(v -> (Long) v).sum()).isEqualTo(requests);
        assertThat((Long) perNode.get(cluster.node(0).uri().toString())).as("reads go to the active node").isPositive();

        Map<String, Object> stats = (Map<String, Object>) json.get("stats");
        assertThat(stats).containsKeys("totalConnections", "activeConnections", "idleConnections", "pendingRequests",
                "totalRequests", "failedRequests", "nodes");
        assertThat(stats.get("totalRequests")).isEqualTo(requests);
        assertThat(stats.get("size")).isEqualTo(4L);
        // 4 prewarmed per node, and the active node grows into its overflow for 8 in flight: never one per request
        assertThat((Long) json.get("connectionsOpened")).as("connections opened over %d requests", requests)
                .isBetween(3L * 4, 3L * 4 + 5);
        assertThat(((List<Map<String, Object>>) stats.get("nodes")).get(0)).containsKeys("connectionsOpened",
                "connectionsClosed");
        Map<String, Object> health = (Map<String, Object>) json.get("health");
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(health.get("activeNode")).isEqualTo(cluster.node(0).uri().toString());
        assertThat((List<Object>) health.get("nodes")).hasSize(3);
        assertThat(json.get("tokenSent")).isEqualTo(true);

        // the token came from the variable and reached the nodes ...
        List<RecordedRequest> reads = cluster.node(0).requests().stream()
                .filter(q -> q.path().equals("/v1/secret/data/app")).toList();
        assertThat(reads).isNotEmpty();
        assertThat(reads).allSatisfy(q -> assertThat(q.header("X-Vault-Token")).contains(TOKEN));
        // ... and is printed nowhere
        assertThat(r.out()).doesNotContain(TOKEN);
        assertThat(r.err()).doesNotContain(TOKEN);
        assertThat(r.systemOut()).doesNotContain(TOKEN);
        assertThat(r.systemErr()).doesNotContain(TOKEN);
    }

    @Test
    void textReportCountsHttpErrorsAsFailedByKindAndStillExitsZero() {
        CliRun r = CliRun.run(Map.of("VAULT_TOKEN", TOKEN)::get, "load", "--nodes", nodes(), "--path",
                "/v1/secret/data/no-such-secret", "--requests", "40", "--concurrency", "4", "--duration", "10s", "-q");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("requests     40", "succeeded    0", "failed       40  (HTTP_404: 40)",
                "token from VAULT_TOKEN", "pool health  UP");
        assertThat(r.out()).contains(cluster.node(0).uri().toString());
        assertThat(r.out() + r.err() + r.systemErr()).doesNotContain(TOKEN);
    }

    @Test
    void withoutTheDefaultVariableRequestsCarryNoToken() {
        CliRun r = CliRun.run(name -> null, "load", "--nodes", nodes(), "--path", "/v1/secret/data/app",
                "--requests", "5", "--concurrency", "1", "-q");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("no token (VAULT_TOKEN is not set)", "failed       5  (HTTP_403: 5)");
    }

    @Test
    void writesCarryTheBody() {
        cluster.resetJournals();
        CliRun r = CliRun.run(Map.of(TOKEN_VAR, TOKEN)::get, "load", "--nodes", nodes(), "--path", "/v1/secret/data/written",
                "--method", "post", "--body", "{\"data\":{\"n\":1}}", "--requests", "3", "--concurrency", "1",
                "--token-env", TOKEN_VAR, "--json", "-q");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"succeeded\" : 3", "\"method\" : \"POST\"");
        assertThat(cluster.secret("written")).hasValueSatisfying(data -> assertThat(data.get("n")).hasToString("1"));
    }

    @Test
    void anExplicitVariableThatIsUnsetIsAnArgumentError() {
        CliRun r = CliRun.run(name -> null, "load", "--nodes", nodes(), "--path", "/v1/secret/data/app",
                "--token-env", "NOT_SET_ANYWHERE");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--token-env'", "NOT_SET_ANYWHERE is unset or empty");
    }
}
