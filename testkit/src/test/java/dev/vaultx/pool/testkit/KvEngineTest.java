package dev.vaultx.pool.testkit;

import static dev.vaultx.pool.testkit.TestHttp.get;
import static dev.vaultx.pool.testkit.TestHttp.getWithToken;
import static dev.vaultx.pool.testkit.TestHttp.method;
import static dev.vaultx.pool.testkit.TestHttp.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KvEngineTest {

    private static SimulatedVaultCluster cluster;
    private static URI active;

    @BeforeAll
    static void start() {
        cluster = SimulatedVaultCluster.builder().nodes(1).vaultIndex(true).start();
        active = cluster.node(0).uri();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void missingTokenAnswers403() {
        HttpResponse<String> response = get(active, "/v1/secret/data/anything");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualToIgnoringWhitespace("{\"errors\":[\"permission denied\"]}");
    }

    @Test
    void bearerTokenIsAcceptedToo() {
        cluster.put("bearer", Map.of("a", 1));

        HttpResponse<String> response = TestHttp.send(TestHttp.request(active, "/v1/secret/data/bearer")
                .header("Authorization", "Bearer xyz").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void configuredTokenRejectsOtherTokens() {
        try (SimulatedVaultCluster strict = SimulatedVaultCluster.builder().nodes(1).token("root").start()) {
            URI uri = strict.node(0).uri();

            assertThat(getWithToken(uri, "/v1/secret/data/x").statusCode()).isEqualTo(403);
            assertThat(TestHttp.send(TestHttp.request(uri, "/v1/secret/data/x").header("X-Vault-Token", "root")
                    .GET().build()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void missingSecretAnswers404WithEmptyErrors() {
        HttpResponse<String> response = getWithToken(active, "/v1/secret/data/never/written");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualToIgnoringWhitespace("{\"errors\":[]}");
    }

    @Test
    void writeReturnsMetadataAndVersionsGrow() {
        HttpResponse<String> first = write(active, "/v1/secret/data/versions", "{\"data\":{\"n\":1}}");
        HttpResponse<String> second = write(active, "/v1/secret/data/versions", "{\"data\":{\"n\":2}}");
        HttpResponse<String> read = getWithToken(active, "/v1/secret/data/versions");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"data\":{\"created_time\":", "\"version\":1");
        assertThat(second.body()).contains("\"version\":2");
        assertThat(read.body()).startsWith("{\"request_id\":\"")
                .contains("\"lease_id\":\"\",\"renewable\":false,\"lease_duration\":0,\"data\":{\"data\":{\"n\":2},"
                        + "\"metadata\":{\"created_time\":")
                .contains("\"version\":2}}", "\"wrap_info\":null,\"warnings\":null,\"auth\":null");
        assertThat(cluster.secret("versions")).hasValue(Map.of("n", 2L));
    }

    @Test
    void vaultIndexHeaderGrowsWithEveryWrite() {
        String a = write(active, "/v1/secret/data/idx", "{\"data\":{}}").headers().firstValue("X-Vault-Index").orElseThrow();
        String b = write(active, "/v1/secret/data/idx", "{\"data\":{}}").headers().firstValue("X-Vault-Index").orElseThrow();

        assertThat(a).isNotEqualTo(b);
        assertThat(getWithToken(active, "/v1/secret/data/idx").headers().firstValue("X-Vault-Index")).isEmpty();
    }

    @Test
    void seededSecretIsReadable() {
        int version = cluster.put("seeded/db", Map.of("user", "app", "password", "pw"));

        HttpResponse<String> response = getWithToken(active, "/v1/secret/data/seeded/db");

        assertThat(version).isEqualTo(1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"user\":\"app\"", "\"password\":\"pw\"");
    }

    @Test
    void deleteAnswers204ThenTheSecretIsGone() {
        cluster.put("doomed", Map.of("x", "y"));

        assertThat(method(active, "DELETE", "/v1/secret/data/doomed").statusCode()).isEqualTo(204);
        assertThat(getWithToken(active, "/v1/secret/data/doomed").statusCode()).isEqualTo(404);
        assertThat(write(active, "/v1/secret/data/doomed", "{\"data\":{\"x\":\"z\"}}").body()).contains("\"version\":2");
    }

    @Test
    void listShowsChildrenWithFoldersMarked() {
        cluster.put("tree/a", Map.of());
        cluster.put("tree/b/c", Map.of());

        HttpResponse<String> list = method(active, "LIST", "/v1/secret/metadata/tree");
        HttpResponse<String> getList = getWithToken(active, "/v1/secret/metadata/tree/?list=true");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"keys\":[\"a\",\"b/\"]");
        assertThat(getList.body()).contains("\"keys\":[\"a\",\"b/\"]");
        assertThat(method(active, "LIST", "/v1/secret/metadata/empty").statusCode()).isEqualTo(404);
    }

    @Test
    void patchMergesIntoTheCurrentVersion() {
        cluster.put("patched", Map.of("a", "1", "b", "2"));

        HttpResponse<String> patched = TestHttp.send(TestHttp.request(active, "/v1/secret/data/patched")
                .header("X-Vault-Token", "t").header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"b\":null,\"c\":\"3\"}}")).build());

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(cluster.secret("patched")).hasValue(Map.of("a", "1", "c", "3"));
    }

    @Test
    void invalidJsonOrMissingDataAnswers400() {
        assertThat(write(active, "/v1/secret/data/bad", "{not json").statusCode()).isEqualTo(400);
        HttpResponse<String> noData = write(active, "/v1/secret/data/bad", "{\"password\":\"x\"}");
        assertThat(noData.statusCode()).isEqualTo(400);
        assertThat(noData.body()).contains("no data provided");
    }

    @Test
    void unknownPathAnswers404NoHandler() {
        HttpResponse<String> response = getWithToken(active, "/v1/nope/thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no handler for route \\\"nope/thing\\\"");
    }

    @Test
    void lookupSelfEchoesTheToken() {
        HttpResponse<String> response = getWithToken(active, "/v1/auth/token/lookup-self");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"" + TestHttp.TOKEN + "\"");
    }

    @Test
    void sealStatusIsServedWithoutToken() {
        HttpResponse<String> response = get(active, "/v1/sys/seal-status");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"sealed\":false", "\"cluster_id\":\"" + cluster.clusterId() + "\"");
    }
}
