package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.config;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tlsServerName} (Vault's {@code VAULT_TLS_SERVER_NAME}): nodes addressed by IP whose certificate names
 * {@code localhost} only are right when the pool is told to expect {@code localhost}, and still wrong under any
 * other name: the override replaces the name checked, it does not switch the check off.
 */
class TlsServerNameTest {

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.builder().nodes(2).https(PKI.https(PKI.localhostOnlyServer())).start();
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void nodesAddressedByIpAreVerifiedAgainstTheConfiguredServerName() {
        PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).tlsServerName("localhost").build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
    }

    @Test
    void aServerNameTheCertificateDoesNotNameIsRefused() {
        PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).tlsServerName("vault.example.com").build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

            assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(health.nodes()).extracting(NodeHealth::lastError).allSatisfy(e -> assertThat(e)
                    .startsWith("SSLHandshakeException").contains("does not name tlsServerName vault.example.com"));
        }
    }

    @Test
    void theServerNameDoesNotReplaceChainVerification() {
        try (SimulatedVaultCluster untrusted = SimulatedVaultCluster.builder().nodes(1).https(PKI.https(PKI.untrustedServer())).start()) {
            PoolConfig config = config(untrusted).tlsCaFile(PKI.caCertificatePem()).tlsServerName("localhost").build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                assertThat(pool.awaitReady(Duration.ofSeconds(10)).nodes().get(0).lastError())
                        .contains("unable to find valid certification path");
            }
        }
    }
}
