package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.HttpVersion;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.TOKEN;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.config;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code httpVersion}: HTTP/1.1 unless asked, HTTP/2 by ALPN when asked and offered. */
class Http2Test {

    @Test
    void http2IsNegotiatedWhenAskedForAndServesRequestsProbesAndLeases() throws Exception {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(3).https(PKI).start()) {
            cluster.put("app", Map.of("k", "v"));
            PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).httpVersion(HttpVersion.HTTP_2).size(2).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
                assertThat(pool.health().nodes()).extracting(NodeHealth::role)
                        .containsExactly(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);

                List<CompletableFuture<VaultResponse>> reads = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    reads.add(pool.requestAsync(read("app")));
                }
                VaultResponse write = pool.request(VaultRequest.builder("POST", "/v1/secret/data/h2")
                        .token(TOKEN).body("{\"data\":{\"a\":\"b\"}}").build());
                for (CompletableFuture<VaultResponse> r : reads) {
                    assertThat(r.get().status()).isEqualTo(200);
                    assertThat(r.get().bodyAsString()).contains("\"k\":\"v\"");
                }
                assertThat(write.status()).isEqualTo(200);
                assertThat(cluster.secret("h2")).contains(Map.of("a", "b"));
                try (PooledConnection c = pool.getConnection(Duration.ofSeconds(3))) {
                    assertThat(c.execute(read("app")).status()).isEqualTo(200);
                    assertThat(c.execute(read("app")).status()).isEqualTo(200);
                }
                assertThat(pool.stats().totalConnections()).as("still one request per connection").isLessThanOrEqualTo(3 * 3);
            }
            List<RecordedRequest> all = new ArrayList<>();
            cluster.nodes().forEach(n -> all.addAll(n.requests()));
            assertThat(all).filteredOn(r -> r.path().equals("/v1/sys/health")).isNotEmpty()
                    .extracting(RecordedRequest::protocol).containsOnly("HTTP/2.0");
            assertThat(all).filteredOn(r -> r.path().startsWith("/v1/secret")).hasSizeGreaterThanOrEqualTo(23)
                    .allSatisfy(r -> {
                        assertThat(r.protocol()).isEqualTo("HTTP/2.0");
                        assertThat(r.header("X-Vault-Request")).contains("true");
                        assertThat(r.header("X-Vault-Token")).contains(TOKEN);
                    });
        }
    }

    @Test
    void http11IsSpokenByDefaultEvenToANodeThatOffersHttp2() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(1).https(PKI).start()) {
            cluster.put("app", Map.of("k", "v"));
            PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                pool.awaitReady(Duration.ofSeconds(10));
                assertThat(pool.request(read("app")).status()).isEqualTo(200);
            }
            assertThat(cluster.node(0).requests()).isNotEmpty().extracting(RecordedRequest::protocol).containsOnly("HTTP/1.1");
        }
    }

    @Test
    void http2FallsBackToHttp11WhenTheNodeDoesNotOfferIt() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(1).https(PKI.https().http2(false)).start()) {
            cluster.put("app", Map.of("k", "v"));
            PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).httpVersion(HttpVersion.HTTP_2).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
                assertThat(pool.request(read("app")).status()).isEqualTo(200);
            }
            assertThat(cluster.node(0).requests()).isNotEmpty().extracting(RecordedRequest::protocol).containsOnly("HTTP/1.1");
        }
    }
}
