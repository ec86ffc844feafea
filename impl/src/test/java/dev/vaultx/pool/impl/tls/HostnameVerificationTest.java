package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.asLocalhost;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.config;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.logLines;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Nodes whose certificate names {@code localhost} only: right under that name, wrong under {@code 127.0.0.1}. */
class HostnameVerificationTest {

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
    void aCertificateForAnotherHostNameIsRefused() {
        PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

            assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(health.nodes()).extracting(NodeHealth::lastError).allSatisfy(e -> assertThat(e)
                    .startsWith("SSLHandshakeException").contains("No subject alternative names matching IP address 127.0.0.1"));
            assertThatThrownBy(() -> pool.request(read("app"))).isInstanceOf(VaultPoolException.class);
        }
    }

    @Test
    void theSameCertificateIsRightForTheNameItWasIssuedFor() {
        PoolConfig config = config(asLocalhost(cluster)).tlsCaFile(PKI.caCertificatePem()).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
    }

    @Test
    void insecureSkipHostnameVerificationAcceptsItAndSaysSoLoudly() throws Exception {
        PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).insecureSkipHostnameVerification(true).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
        assertThat(logLines(config.name())).as("one WARN at start, naming the pool, not one per transport")
                .filteredOn(l -> l.contains(" WARN ") && l.contains("host name verification")).singleElement()
                .satisfies(l -> assertThat(l).contains(config.name() + " - TLS host name verification is OFF")
                        .contains("insecureSkipHostnameVerification=true"));
    }

    @Test
    void insecureSkipHostnameVerificationStillVerifiesTheChain() {
        try (SimulatedVaultCluster untrusted = SimulatedVaultCluster.builder().nodes(1).https(PKI.https(PKI.untrustedServer())).start()) {
            PoolConfig config = config(untrusted).tlsCaFile(PKI.caCertificatePem()).insecureSkipHostnameVerification(true).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

                assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(health.nodes().get(0).lastError()).contains("unable to find valid certification path");
            }
        }
    }
}
