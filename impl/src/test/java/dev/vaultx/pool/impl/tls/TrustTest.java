package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.config;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nodes' CA trusted from each kind of source; the JVM's default trust when none is given. */
class TrustTest {

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.builder().nodes(3).https(PKI).start();
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void trustsTheCaOfAPemFile() {
        assertServes(b -> b.tlsCaFile(PKI.caCertificatePem()));
    }

    @Test
    void trustsTheCaOfPemText() {
        assertServes(b -> b.tlsCaPem(PKI.caCertificatePemText()));
    }

    @Test
    void trustsTheCaOfAPkcs12TrustStore() {
        assertServes(b -> b.tlsTrustStore(PKI.trustStore()).tlsTrustStorePassword(PKI.password()));
    }

    @Test
    void trustsTheCaOfAJksTrustStore() {
        assertServes(b -> b.tlsTrustStore(PKI.trustStoreJks()).tlsTrustStorePassword(PKI.password()));
    }

    @Test
    void withoutTlsKeysTheJvmsTrustedCasApplyAndDoNotKnowTheTestCa() {
        PoolConfig config = config(cluster).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

            assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(health.nodes()).extracting(NodeHealth::lastError)
                    .allSatisfy(e -> assertThat(e).startsWith("SSLHandshakeException").contains("certification path"));
            assertThatThrownBy(() -> pool.request(read("app"))).isInstanceOf(VaultPoolException.class);
        }
    }

    /** Health probes over HTTPS classify the roles; a read and a write are served. */
    private static void assertServes(UnaryOperator<dev.vaultx.pool.PoolConfigBuilder> tls) {
        PoolConfig config = tls.apply(config(cluster)).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

            assertThat(health.status()).isEqualTo(HealthStatus.UP);
            assertThat(health.activeNode()).isEqualTo(cluster.node(0).uri());
            assertThat(health.nodes()).extracting(NodeHealth::role)
                    .containsExactly(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);
            VaultResponse r = pool.request(read("app"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyAsString()).contains("\"k\":\"v\"");
            VaultResponse w = pool.request(dev.vaultx.pool.VaultRequest.builder("POST", "/v1/secret/data/written")
                    .token(TlsTestSupport.TOKEN).body("{\"data\":{\"a\":\"b\"}}").build());
            assertThat(w.status()).isEqualTo(200);
        }
    }
}
