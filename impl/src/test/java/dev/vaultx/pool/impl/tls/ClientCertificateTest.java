package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultPoolException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Nodes that require a client certificate signed by the test CA (mutual TLS, as Vault's cert auth needs). */
class ClientCertificateTest {

    private static SimulatedVaultCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.builder().nodes(2).https(PKI.httpsRequiringClientCertificates()).start();
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() {
        cluster.resetJournals();
        PoolConfig config = trusting().build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

            assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
            // TLS 1.3 checks the client certificate after the client's side of the handshake: the client sees the
            // server's alert, or (when the server's close overtakes the alert) a closed connection
            assertThat(health.nodes()).extracting(NodeHealth::lastError).allSatisfy(e -> assertThat(e).satisfiesAnyOf(
                    alert -> assertThat(alert).startsWith("SSLHandshakeException").containsAnyOf("bad_certificate", "certificate_required"),
                    closed -> assertThat(closed).containsAnyOf("ConnectionClosedException", "SocketException", "SSLException",
                            "Connection reset", "closed")));
            assertThatThrownBy(() -> pool.request(read("app"))).isInstanceOf(VaultPoolException.class);
        }
        assertThat(cluster.totalRequests()).as("no request got through, not even a health probe").isZero();
    }

    @Test
    void aPemCertificateAndPkcs8KeyAuthenticate() throws Exception {
        assertServes(trusting().tlsClientCertFile(PKI.client().certificatePem()).tlsClientKeyFile(PKI.client().privateKeyPem()));
    }

    @Test
    void aPkcs12KeyStoreAuthenticates() throws Exception {
        assertServes(trusting().tlsKeyStore(PKI.client().keyStore()).tlsKeyStorePassword(PKI.password()));
    }

    private static PoolConfigBuilder trusting() {
        return config(cluster).tlsCaFile(PKI.caCertificatePem());
    }

    private static void assertServes(PoolConfigBuilder builder) throws Exception {
        PoolConfig config = builder.build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
            try (PooledConnection c = pool.getConnection(Duration.ofSeconds(3))) {
                assertThat(c.execute(read("app")).status()).isEqualTo(200);
            }
        }
    }
}
