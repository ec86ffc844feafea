package dev.vaultx.pool.impl;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.TestPools.TOKEN;
import static dev.vaultx.pool.impl.TestPools.read;
import static dev.vaultx.pool.impl.TestPools.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests through the pool against real loopback servers: routing, KV round trips, headers. */
class PoolRequestsTest {

    private static final String SECRETS = "/v1/secret/";

    private static SimulatedVaultCluster one;
    private static SimulatedVaultCluster three;
    private AsyncHttpConnectionPool pool;

    @BeforeAll
    static void startClusters() {
        one = SimulatedVaultCluster.start(1);
        three = SimulatedVaultCluster.start(3);
    }

    @AfterAll
    static void stopClusters() {
        one.close();
        three.close();
    }

    @BeforeEach
    void resetClusters() {
        one.clearFaults();
        three.clearFaults();
        one.resetJournals();
        three.resetJournals();
    }

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void requestSucceedsAgainstOneNode() {
        one.put("one/app", Map.of("user", "alice"));
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        VaultResponse r = pool.request(read("one/app"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.node()).isEqualTo(one.node(0).uri());
        assertThat(r.bodyAsString()).contains("\"user\":\"alice\"");
        assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(one.node(0).requestCount("/v1/secret/data/one/app")).isEqualTo(1);
    }

    @Test
    void requestsSucceedAgainstThreeNodes() {
        three.put("three/app", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(three).build(), three);

        for (int i = 0; i < 10; i++) {
            assertThat(pool.request(read("three/app")).status()).isEqualTo(200);
        }
        assertThat(three.totalRequests("/v1/secret/data/three/app")).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(value = BalancingStrategy.class, names = {"ROUND_ROBIN", "LEAST_PENDING"})
    void roleBlindStrategiesSpreadRequestsOverAllNodes(BalancingStrategy strategy) {
        three.put("spread", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(three).balancingStrategy(strategy).build(), three);

        // sequential requests: with nothing in flight LEAST_PENDING breaks ties at random,
        // so 60 of them miss a node with a probability of about 3 * (2/3)^60
        for (int i = 0; i < 60; i++) {
            assertThat(pool.request(read("spread")).status()).isEqualTo(200);
        }

        for (SimulatedVaultNode node : three.nodes()) {
            assertThat(node.requestCount("/v1/secret/data/spread")).as("requests seen by %s", node).isPositive();
        }
        List<NodeStats> nodes = pool.stats().nodes();
        assertThat(nodes).hasSize(3).allSatisfy(n -> assertThat(n.totalRequests()).as("%s", n.node()).isPositive());
        assertThat(nodes.stream().mapToLong(NodeStats::totalRequests).sum()).isEqualTo(60);
        if (strategy == BalancingStrategy.ROUND_ROBIN) {
            assertThat(nodes).allSatisfy(n -> assertThat(n.totalRequests()).isEqualTo(20));
        }
    }

    @Test
    void concurrentRequestsWithLeastPendingUseEveryNode() {
        three.put("concurrent", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(three).balancingStrategy(BalancingStrategy.LEAST_PENDING).build(),
                three);
        three.nodes().forEach(n -> n.slow(Duration.ofMillis(200)));

        List<CompletableFuture<VaultResponse>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(pool.requestAsync(read("concurrent")));
        }

        assertThat(all).allSatisfy(f -> assertThat(f.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200));
        // 6 in flight at once, at most 3 per node (size 2 + overflow 1): each node has some
        assertThat(three.nodes()).allSatisfy(n -> assertThat(n.requestCount("/v1/secret/data/concurrent")).isPositive());
    }

    @Test
    void vaultAwareStrategySendsReadsAndWritesToTheActiveNode() {
        pool = TestPools.startReady(TestPools.config(three).build(), three);
        PoolHealth health = pool.health();
        assertThat(health.activeNode()).isEqualTo(three.node(0).uri());
        assertThat(health.nodes()).extracting(h -> h.role())
                .containsExactly(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);

        for (int i = 0; i < 10; i++) {
            assertThat(pool.request(write("aware/" + i, "{\"data\":{\"n\":" + i + "}}")).status()).isEqualTo(200);
            assertThat(pool.request(read("aware/" + i)).status()).isEqualTo(200);
        }

        assertThat(three.node(0).requestCount(SECRETS)).isEqualTo(20);
        assertThat(three.node(1).requestCount(SECRETS)).isZero();
        assertThat(three.node(2).requestCount(SECRETS)).isZero();
        assertThat(pool.stats().nodes()).extracting(NodeStats::totalRequests).containsExactly(20L, 0L, 0L);
    }

    @Test
    void vaultAwareStrategyFollowsTheActiveNodeWhenItIsNotTheFirst() {
        three.electLeader(2);
        try {
            pool = TestPools.startReady(TestPools.config(three).build(), three);
            assertThat(pool.health().activeNode()).isEqualTo(three.node(2).uri());

            for (int i = 0; i < 5; i++) {
                assertThat(pool.request(write("leader2", "{\"data\":{\"n\":1}}")).status()).isEqualTo(200);
            }

            assertThat(three.node(2).requestCount(SECRETS)).isEqualTo(5);
            assertThat(three.node(0).requestCount(SECRETS) + three.node(1).requestCount(SECRETS)).isZero();
        } finally {
            three.electLeader(0);
        }
    }

    @Test
    void kvWriteThenReadReturnsTheValue() {
        pool = TestPools.startReady(TestPools.config(three).build(), three);

        VaultResponse written = pool.request(write("kv/db", "{\"data\":{\"password\":\"hunter2\",\"port\":5432}}"));
        VaultResponse read = pool.request(read("kv/db"));

        assertThat(written.status()).isEqualTo(200);
        assertThat(written.bodyAsString()).contains("\"version\":1");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.bodyAsString()).contains("\"password\":\"hunter2\"").contains("\"port\":5432");
        assertThat(three.secret("kv/db")).hasValueSatisfying(d -> assertThat(d).containsEntry("password", "hunter2"));
    }

    @Test
    void readOfAMissingSecretIsA404ResponseNotAnException() {
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        VaultResponse r = pool.request(read("does/not/exist"));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.bodyAsString()).contains("errors");
    }

    @Test
    void requestWithoutTokenIsAnsweredWith403() {
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        VaultResponse r = pool.request(VaultRequest.get("/v1/secret/data/x").build());

        assertThat(r.status()).isEqualTo(403);
        RecordedRequest sent = lastApiRequest(one.node(0));
        assertThat(sent.header("X-Vault-Token")).isEmpty();
    }

    @Test
    void vaultRequestHeaderIsSentAndTokenAndNamespacePassThrough() {
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        VaultResponse r = pool.request(VaultRequest.builder("POST", "/v1/secret/data/hdr")
                .token(TOKEN)
                .namespace("team-a/")
                .header("X-Custom", "yes")
                .body("{\"data\":{\"k\":\"v\"}}")
                .build());

        assertThat(r.status()).isEqualTo(200);
        RecordedRequest sent = lastApiRequest(one.node(0));
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.pathAndQuery()).isEqualTo("/v1/secret/data/hdr");
        assertThat(sent.header("X-Vault-Request")).hasValue("true");
        assertThat(sent.header("X-Vault-Token")).hasValue(TOKEN);
        assertThat(sent.header("X-Vault-Namespace")).hasValue("team-a/");
        assertThat(sent.header("X-Custom")).hasValue("yes");
        assertThat(sent.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(sent.bodyAsString()).isEqualTo("{\"data\":{\"k\":\"v\"}}");
    }

    @Test
    void poolDefaultNamespaceIsSentUnlessTheRequestNamesOne() {
        pool = TestPools.startReady(TestPools.config(one).namespace("default-ns").build(), one);

        pool.request(read("ns/a"));
        assertThat(lastApiRequest(one.node(0)).header("X-Vault-Namespace")).hasValue("default-ns");

        pool.request(VaultRequest.get("/v1/secret/data/ns/b").token(TOKEN).namespace("own-ns").build());
        assertThat(lastApiRequest(one.node(0)).header("X-Vault-Namespace")).hasValue("own-ns");
    }

    @Test
    void noNamespaceHeaderWithoutANamespace() {
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        pool.request(read("ns/none"));

        assertThat(lastApiRequest(one.node(0)).header("X-Vault-Namespace")).isEmpty();
    }

    @Test
    void fiveArgumentFormSendsMethodPathBodyAndHeaders() {
        pool = TestPools.startReady(TestPools.config(one).build(), one);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Vault-Token", TOKEN);
        headers.put("X-Vault-Namespace", "ns5");
        headers.put("X-Extra", "1");

        VaultResponse w = pool.request("post", "/v1/secret/data/five",
                "{\"data\":{\"answer\":42}}".getBytes(StandardCharsets.UTF_8), headers, Duration.ofSeconds(3));
        RecordedRequest sent = lastApiRequest(one.node(0));
        VaultResponse r = pool.request("GET", "/v1/secret/data/five", null, Map.of("X-Vault-Token", TOKEN), null);

        assertThat(w.status()).isEqualTo(200);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.header("X-Vault-Token")).hasValue(TOKEN);
        assertThat(sent.header("X-Vault-Namespace")).hasValue("ns5");
        assertThat(sent.header("X-Extra")).hasValue("1");
        assertThat(sent.header("X-Vault-Request")).hasValue("true");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyAsString()).contains("\"answer\":42");
    }

    @Test
    void fiveArgumentFormWithoutHeadersSendsNoToken() {
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        VaultResponse r = pool.request("GET", "/v1/secret/data/five-none", null, null, null);

        assertThat(r.status()).isEqualTo(403);
        assertThat(lastApiRequest(one.node(0)).header("X-Vault-Token")).isEmpty();
    }

    @Test
    void asyncRequestsComplete() {
        one.put("async", Map.of("k", "v"));
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        List<CompletableFuture<VaultResponse>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(pool.requestAsync(read("async")));
        }

        assertThat(all).allSatisfy(f -> assertThat(f.orTimeout(5, TimeUnit.SECONDS).join().status()).isEqualTo(200));
        assertThat(one.node(0).requestCount("/v1/secret/data/async")).isEqualTo(20);
        assertThat(pool.stats().totalRequests()).isEqualTo(20);
    }

    @Test
    void queryStringIsSentAsIs() {
        one.put("versions", Map.of("v", "1"));
        one.put("versions", Map.of("v", "2"));
        pool = TestPools.startReady(TestPools.config(one).build(), one);

        VaultResponse r = pool.request(VaultRequest.get("/v1/secret/data/versions?version=1").token(TOKEN).build());

        assertThat(lastApiRequest(one.node(0)).pathAndQuery()).isEqualTo("/v1/secret/data/versions?version=1");
        assertThat(r.status()).isEqualTo(200);
    }

    private static RecordedRequest lastApiRequest(SimulatedVaultNode node) {
        List<RecordedRequest> api = node.requests().stream().filter(r -> r.path().startsWith(SECRETS)).toList();
        assertThat(api).as("API requests recorded by %s", node).isNotEmpty();
        return api.get(api.size() - 1);
    }
}
