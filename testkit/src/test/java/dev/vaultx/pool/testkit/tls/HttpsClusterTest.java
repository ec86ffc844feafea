package dev.vaultx.pool.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class HttpsClusterTest {

    private static final TestPki PKI = TestPki.shared();

    @Test
    void nodesServeHealthAndApiOverHttpsWithTheTestCertificate() throws Exception {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(2).https(PKI).start()) {
            assertThat(cluster.urls()).allSatisfy(u -> assertThat(u.getScheme()).isEqualTo("https"));
            HttpClient client = client(HttpClient.Version.HTTP_1_1, false);

            HttpResponse<String> health = client.send(get(cluster.node(0).uri(), "/v1/sys/health"), HttpResponse.BodyHandlers.ofString());
            cluster.put("app", java.util.Map.of("k", "v"));
            HttpResponse<String> secret = client.send(HttpRequest.newBuilder(cluster.node(1).uri().resolve("/v1/secret/data/app"))
                    .header("X-Vault-Token", "t").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"standby\":false");
            assertThat(secret.statusCode()).isEqualTo(200);
            assertThat(secret.body()).contains("\"k\":\"v\"");
            assertThat(cluster.node(0).requests()).extracting(RecordedRequest::protocol).containsOnly("HTTP/1.1");
        }
    }

    @Test
    void offersHttp2ByAlpnUnlessDisabled() throws Exception {
        try (SimulatedVaultCluster h2 = SimulatedVaultCluster.builder().nodes(1).https(PKI).start();
             SimulatedVaultCluster h1 = SimulatedVaultCluster.builder().nodes(1).https(PKI.https().http2(false)).start()) {
            HttpClient client = client(HttpClient.Version.HTTP_2, false);

            HttpResponse<String> viaH2 = client.send(get(h2.node(0).uri(), "/v1/sys/health"), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> viaH1 = client.send(get(h1.node(0).uri(), "/v1/sys/health"), HttpResponse.BodyHandlers.ofString());

            assertThat(viaH2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(h2.node(0).requests()).extracting(RecordedRequest::protocol).containsOnly("HTTP/2.0");
            assertThat(viaH1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void requiresAClientCertificateWhenAsked() throws Exception {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(1).https(PKI.httpsRequiringClientCertificates()).start()) {
            URI node = cluster.node(0).uri();

            assertThatThrownBy(() -> client(HttpClient.Version.HTTP_1_1, false).send(get(node, "/v1/sys/health"),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            HttpResponse<String> withCert = client(HttpClient.Version.HTTP_1_1, true).send(get(node, "/v1/sys/health"),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(withCert.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void writesPemFilesTheJdkParses() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        try (InputStream ca = Files.newInputStream(PKI.caCertificatePem());
             InputStream chain = Files.newInputStream(PKI.client().certificatePem())) {
            assertThat(cf.generateCertificates(ca)).hasSize(1);
            assertThat(cf.generateCertificates(chain)).hasSize(2)
                    .first().satisfies(c -> assertThat(((X509Certificate) c).getSubjectX500Principal().getName())
                            .isEqualTo("CN=vaultx-pool test client"));
        }
        assertThat(key(PKI.client().privateKeyPem(), "RSA").getAlgorithm()).isEqualTo("RSA");
        assertThat(key(PKI.server().privateKeyPem(), "EC").getAlgorithm()).isEqualTo("EC");
        X509Certificate server = (X509Certificate) KeyStore.getInstance(PKI.server().keyStore().toFile(), PKI.password().toCharArray())
                .getCertificate("identity");
        assertThat(server.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1)))).containsExactlyInAnyOrder("127.0.0.1", "localhost");
        assertThat(KeyStore.getInstance(PKI.trustStoreJks().toFile(), PKI.password().toCharArray()).getType()).isEqualToIgnoringCase("JKS");
    }

    private static java.security.PrivateKey key(java.nio.file.Path pem, String algorithm) throws Exception {
        String text = Files.readString(pem);
        assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----");
        String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static HttpRequest get(URI node, String path) {
        return HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(10)).build();
    }

    private static HttpClient client(HttpClient.Version version, boolean clientCert) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStore.getInstance(PKI.trustStore().toFile(), PKI.password().toCharArray()));
        KeyManagerFactory kmf = null;
        if (clientCert) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(KeyStore.getInstance(PKI.client().keyStore().toFile(), PKI.password().toCharArray()), PKI.password().toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().version(version).sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
