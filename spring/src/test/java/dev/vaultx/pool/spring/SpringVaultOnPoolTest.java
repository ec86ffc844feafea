package dev.vaultx.pool.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultKeyValueOperations;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.core.VaultVersionedKeyValueOperations;
import org.springframework.vault.support.VaultResponse;
import org.springframework.vault.support.Versioned;

/** Spring Vault's {@code VaultTemplate}, unchanged, on a simulated 3-node cluster through the pool. */
class SpringVaultOnPoolTest {

    static final String TOKEN = "s.spring-test-token-7f3a";
    /** A host that resolves nowhere: the pool's nodes are used instead. */
    static final URI ENDPOINT = URI.create("http://vault.example.invalid:8200");

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private VaultTemplate vault;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.builder().nodes(3).token(TOKEN).start();
        pool = AsyncHttpConnectionPool.start(PoolConfig.builder().name("spring").nodeUris(cluster.urls())
                .size(2).maxOverflow(2).ioThreads(1).requestTimeout(Duration.ofSeconds(5)).build());
        pool.awaitReady(Duration.ofSeconds(5));
        vault = template(TOKEN);
    }

    private VaultTemplate template(String token) {
        return new VaultTemplate(VaultEndpoint.from(ENDPOINT), new VaultPoolRequestFactory(pool),
                new SimpleSessionManager(new TokenAuthentication(token)));
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesThenReadsKvV2WithVersionedOperations() {
        VaultVersionedKeyValueOperations kv = vault.opsForVersionedKeyValue("secret");

        kv.put("app", Map.of("password", "hunter2"));
        kv.put("app", Map.of("password", "hunter3"));
        Versioned<Map<String, Object>> read = kv.get("app");

        assertThat(read).isNotNull();
        assertThat(read.getData()).containsEntry("password", "hunter3");
        assertThat(read.getVersion().getVersion()).isEqualTo(2);
        assertThat(cluster.secret("app")).hasValueSatisfying(d -> assertThat(d).containsEntry("password", "hunter3"));
        // every request went to the active node through the pool, never to the endpoint's host
        assertThat(apiRequests(0)).extracting(RecordedRequest::method).containsExactly("POST", "POST", "GET");
        assertThat(apiRequests(0)).allSatisfy(r -> assertThat(r.header("X-Vault-Token")).hasValue(TOKEN));
        assertThat(apiRequests(1)).isEmpty();
        assertThat(apiRequests(2)).isEmpty();
    }

    @Test
    void readsWritesListsAndDeletesWithKeyValueOperations() {
        VaultKeyValueOperations kv = vault.opsForKeyValue("secret", KeyValueBackend.KV_2);

        kv.put("team/a", Map.of("k", "1"));
        kv.put("team/b", Map.of("k", "2"));
        VaultResponse a = kv.get("team/a");

        assertThat(a).isNotNull();
        assertThat(a.getData()).containsEntry("k", "1");
        assertThat(kv.list("team")).containsExactly("a", "b");
        kv.delete("team/a");
        assertThat(kv.get("team/a")).isNull();
        assertThat(kv.list("team")).containsExactly("b");
    }

    @Test
    void readsAndWritesThroughTheGenericTemplateMethods() {
        vault.write("secret/data/generic", Map.of("data", Map.of("x", "y")));

        VaultResponse read = vault.read("secret/data/generic");
        VaultResponse self = vault.read("auth/token/lookup-self");

        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) read.getRequiredData().get("data");
        assertThat(data).containsEntry("x", "y");
        // token login: the server saw this template's token
        assertThat(self.getRequiredData()).containsEntry("id", TOKEN);
        assertThat(vault.list("secret/metadata/")).contains("generic");
        vault.delete("secret/data/generic");
        assertThat(vault.read("secret/data/generic")).isNull();
    }

    @Test
    void passesPathQueryHeadersAndBodyThroughAndMapsTokenAndNamespace() throws Exception {
        VaultPoolRequestFactory factory = new VaultPoolRequestFactory(pool);
        ClientHttpRequest request = factory.createRequest(
                URI.create("https://ignored.invalid:1/v1/secret/data/app?version=2&x=a%2Fb"), HttpMethod.POST);
        HttpHeaders headers = request.getHeaders();
        headers.add("X-Vault-Token", TOKEN);
        headers.add("X-Vault-Namespace", "team-a");
        headers.add("X-Custom", "one");
        headers.add("X-Custom", "two");
        headers.add("Content-Type", "application/json");
        request.getBody().write("{\"data\":{\"k\":\"v\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        try (ClientHttpResponse response = request.execute()) {
            assertThat(response.getStatusCode().value()).isEqualTo(200);
            assertThat(response.getStatusText()).isEqualTo("OK");
            assertThat(response.getHeaders().getContentType()).hasToString("application/json");
            assertThat(new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"version\":1");
        }
        RecordedRequest seen = apiRequests(0).get(0);
        assertThat(seen.pathAndQuery()).isEqualTo("/v1/secret/data/app?version=2&x=a%2Fb");
        assertThat(seen.header("X-Vault-Token")).hasValue(TOKEN);
        assertThat(seen.header("X-Vault-Namespace")).hasValue("team-a");
        assertThat(seen.header("X-Custom")).hasValue("one, two");
        assertThat(seen.header("X-Vault-Request")).hasValue("true");
        assertThat(seen.headers().get("Content-Type")).hasSize(1);
        assertThat(seen.bodyAsString()).isEqualTo("{\"data\":{\"k\":\"v\"}}");
    }

    @Test
    void mapsTheTokenHeaderToTheRequestsTokenNotToAPlainHeader() {
        PoolClientHttpRequest request = new PoolClientHttpRequest(pool, URI.create("http://x/v1/sys/leader"), HttpMethod.GET);
        HttpHeaders headers = new HttpHeaders();
        headers.add("x-vault-token", TOKEN);
        headers.add("x-vault-namespace", "ns1");
        headers.add("Content-Length", "0");

        dev.vaultx.pool.VaultRequest mapped = request.toVaultRequest(headers, new byte[0]);

        assertThat(mapped.token()).hasValue(TOKEN);
        assertThat(mapped.namespace()).hasValue("ns1");
        assertThat(mapped.headers()).isEmpty();
        assertThat(mapped.toString()).doesNotContain(TOKEN);
    }

    @Test
    void rejectsAUriWithoutAnAbsolutePath() {
        VaultPoolRequestFactory factory = new VaultPoolRequestFactory(pool);

        assertThatThrownBy(() -> factory.createRequest(URI.create("mailto:ops@example.com"), HttpMethod.GET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri: mailto:ops@example.com (expected: an absolute path such as https://vault:8200/v1/secret/data/app)");
    }

    private List<RecordedRequest> apiRequests(int node) {
        return cluster.node(node).requests().stream().filter(r -> !r.path().startsWith("/v1/sys/")).toList();
    }
}
