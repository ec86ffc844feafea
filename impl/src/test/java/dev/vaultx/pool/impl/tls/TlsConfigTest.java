package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HttpVersion;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.logLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The TLS keys of {@link PoolConfigBuilder} and {@link PoolConfigReader}: each is validated when set or at
 * {@code build()}, with {@code key: value (expected: ...)}; passwords and key material never appear in a
 * message, {@code toString} or the log.
 */
class TlsConfigTest {

    private static final List<URI> HTTPS = List.of(URI.create("https://127.0.0.1:8200"));

    @TempDir
    Path dir;

    private static PoolConfigBuilder https() {
        return PoolConfig.builder().nodeUris(HTTPS);
    }

    @Test
    void defaultsAreNoTlsKeysVerifiedHostNamesAndHttp11() {
        PoolConfig c = https().build();

        assertThat(c.tlsCaFile()).isEmpty();
        assertThat(c.tlsCaPem()).isEmpty();
        assertThat(c.tlsTrustStore()).isEmpty();
        assertThat(c.tlsTrustStorePassword()).isEmpty();
        assertThat(c.tlsClientCertFile()).isEmpty();
        assertThat(c.tlsClientKeyFile()).isEmpty();
        assertThat(c.tlsKeyStore()).isEmpty();
        assertThat(c.tlsKeyStorePassword()).isEmpty();
        assertThat(c.insecureSkipHostnameVerification()).isFalse();
        assertThat(c.httpVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    }

    @Test
    void everyKindOfTlsSourceBuildsAndSurvivesToBuilder() {
        PoolConfig pem = https().tlsCaFile(PKI.caCertificatePem())
                .tlsClientCertFile(PKI.client().certificatePem()).tlsClientKeyFile(PKI.client().privateKeyPem()).build();
        PoolConfig ec = https().tlsCaPem(PKI.caCertificatePemText())
                .tlsClientCertFile(PKI.server().certificatePem()).tlsClientKeyFile(PKI.server().privateKeyPem()).build();
        PoolConfig stores = https().tlsTrustStore(PKI.trustStoreJks()).tlsTrustStorePassword(PKI.password())
                .tlsKeyStore(PKI.client().keyStore()).tlsKeyStorePassword(PKI.password())
                .insecureSkipHostnameVerification(true).httpVersion(HttpVersion.HTTP_2).build();

        assertThat(pem.tlsClientKeyFile()).contains(PKI.client().privateKeyPem());
        assertThat(ec.tlsCaPem()).contains(PKI.caCertificatePemText());
        PoolConfig copy = stores.toBuilder().build();
        assertThat(copy.tlsKeyStorePassword()).contains(PKI.password());
        assertThat(copy.tlsTrustStore()).contains(PKI.trustStoreJks());
        assertThat(copy.httpVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(copy.insecureSkipHostnameVerification()).isTrue();
    }

    @Test
    void filesMustExistAndBeReadable() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> https().tlsCaFile(missing)).isInstanceOf(PoolConfigException.class)
                .hasMessage("tlsCaFile: " + missing + " (expected: a readable file)");
        assertThatThrownBy(() -> https().tlsKeyStore(dir)).hasMessage("tlsKeyStore: " + dir + " (expected: a readable file)");
        assertThatThrownBy(() -> https().tlsClientKeyFile(missing)).hasMessageStartingWith("tlsClientKeyFile: ");
    }

    @Test
    void aFileDeletedBeforeBuildFailsTheBuild() throws Exception {
        Path ca = Files.copy(PKI.caCertificatePem(), dir.resolve("ca.pem"));
        PoolConfigBuilder b = https().tlsCaFile(ca);
        Files.delete(ca);

        assertThatThrownBy(b::build).hasMessage("tlsCaFile: " + ca + " (expected: a readable file)");
    }

    @Test
    void caPemMustParseAndIsNeverEchoed() throws Exception {
        String key = Files.readString(PKI.client().privateKeyPem());
        String broken = PKI.caCertificatePemText().replace("MII", "MIX");

        PoolConfigException notACert = catchThrowableOfType(PoolConfigException.class, () -> https().tlsCaPem(key));
        PoolConfigException corrupt = catchThrowableOfType(PoolConfigException.class, () -> https().tlsCaPem(broken));
        PoolConfigException keyAsCaFile = catchThrowableOfType(PoolConfigException.class, () -> https().tlsCaFile(PKI.client().privateKeyPem()).build());

        assertThat(notACert).hasMessage("tlsCaPem: <PEM text, " + key.length()
                + " characters> (expected: one or more PEM X.509 certificates (BEGIN CERTIFICATE); found: BEGIN PRIVATE KEY)");
        assertThat(corrupt.getMessage()).startsWith("tlsCaPem: <PEM text, ").contains("that parse");
        assertThat(keyAsCaFile).hasMessage("tlsCaFile: " + PKI.client().privateKeyPem()
                + " (expected: one or more PEM X.509 certificates (BEGIN CERTIFICATE); found: BEGIN PRIVATE KEY)");
        for (PoolConfigException e : List.of(notACert, corrupt, keyAsCaFile)) {
            assertThat(e.getMessage()).doesNotContain(key.substring(30, 60)).doesNotContain("MIX");
        }
    }

    @Test
    void oneTrustSourceAndOneClientIdentity() {
        assertThatThrownBy(() -> https().tlsCaFile(PKI.caCertificatePem()).tlsTrustStore(PKI.trustStore()).build())
                .hasMessage("tlsTrustStore: " + PKI.trustStore()
                        + " (expected: one trust source: tlsCaFile, tlsCaPem, tlsCaPath or tlsTrustStore, not several)");
        assertThatThrownBy(() -> https().tlsCaFile(PKI.caCertificatePem()).tlsCaPath(PKI.caCertificatePem().getParent()).build())
                .hasMessageStartingWith("tlsCaPath: " + PKI.caCertificatePem().getParent() + " (expected: one trust source");
        assertThatThrownBy(() -> https().tlsClientKeyPassword("pw").build())
                .hasMessage("tlsClientKeyPassword: <redacted> (expected: set only with tlsClientKeyFile)");
        assertThatThrownBy(() -> https().tlsCaFile(PKI.caCertificatePem()).tlsCaPem(PKI.caCertificatePemText()).build())
                .hasMessageStartingWith("tlsCaPem: <PEM text, ");
        assertThatThrownBy(() -> https().tlsKeyStore(PKI.client().keyStore()).tlsKeyStorePassword(PKI.password())
                .tlsClientCertFile(PKI.client().certificatePem()).tlsClientKeyFile(PKI.client().privateKeyPem()).build())
                .hasMessageContaining("tlsKeyStore or tlsClientCertFile + tlsClientKeyFile, not both");
        assertThatThrownBy(() -> https().tlsClientCertFile(PKI.client().certificatePem()).build())
                .hasMessage("tlsClientKeyFile: null (expected: tlsClientCertFile and tlsClientKeyFile set together)");
        assertThatThrownBy(() -> https().tlsClientKeyFile(PKI.client().privateKeyPem()).build())
                .hasMessage("tlsClientCertFile: null (expected: tlsClientCertFile and tlsClientKeyFile set together)");
        assertThatThrownBy(() -> https().tlsTrustStorePassword(PKI.password()).build())
                .hasMessage("tlsTrustStorePassword: <redacted> (expected: set only with tlsTrustStore)");
        assertThatThrownBy(() -> https().tlsKeyStorePassword(PKI.password()).build())
                .hasMessage("tlsKeyStorePassword: <redacted> (expected: set only with tlsKeyStore)");
    }

    @Test
    void aWrongPasswordIsNamedButNeverShown() {
        String wrong = "not-the-password-4711";

        PoolConfigException trust = catchThrowableOfType(PoolConfigException.class, () -> https().tlsTrustStore(PKI.trustStore()).tlsTrustStorePassword(wrong).build());
        PoolConfigException jks = catchThrowableOfType(PoolConfigException.class, () -> https().tlsTrustStore(PKI.trustStoreJks()).tlsTrustStorePassword(wrong).build());
        PoolConfigException key = catchThrowableOfType(PoolConfigException.class, () -> https().tlsKeyStore(PKI.client().keyStore()).tlsKeyStorePassword(wrong).build());

        assertThat(trust).hasMessage("tlsTrustStorePassword: <redacted> (expected: the password of tlsTrustStore " + PKI.trustStore() + ")");
        assertThat(jks.key()).isEqualTo("tlsTrustStorePassword");
        assertThat(key).hasMessage("tlsKeyStorePassword: <redacted> (expected: the password of tlsKeyStore " + PKI.client().keyStore() + ")");
        for (PoolConfigException e : List.of(trust, jks, key)) {
            assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(PKI.password());
            assertThat(e.getCause()).isNull();
        }
    }

    @Test
    void aPkcs12TrustStoreOpenedWithoutItsPasswordShowsNoCertificate() {
        assertThatThrownBy(() -> https().tlsTrustStore(PKI.trustStore()).build()).hasMessage("tlsTrustStore: " + PKI.trustStore()
                + " (expected: a keystore holding trusted certificates (with tlsTrustStorePassword if it has one))");
        assertThat(https().tlsTrustStore(PKI.trustStoreJks()).build().tlsTrustStore()).as("JKS certificates are readable without it")
                .contains(PKI.trustStoreJks());
    }

    @Test
    void theClientKeyMustDecodeAndMatchTheCertificateAndErrorsNameTheFormatFound() throws Exception {
        Path truncatedPkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
                + "-----END RSA PRIVATE KEY-----\n");
        Path encrypted = Files.writeString(dir.resolve("enc.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkq\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nAAAAsecretAAAA\n-----END PRIVATE KEY-----\n");
        PoolConfigBuilder cert = https().tlsClientCertFile(PKI.client().certificatePem());
        String formats = "a PEM private key: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA PRIVATE KEY), SEC1 EC "
                + "(BEGIN EC PRIVATE KEY), or encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY) with its password";

        assertThatThrownBy(() -> cert.tlsClientKeyFile(truncatedPkcs1).build()).hasMessage("tlsClientKeyFile: " + truncatedPkcs1
                + " (expected: " + formats + "; found: RSA PRIVATE KEY that does not decode)");
        assertThatThrownBy(() -> cert.tlsClientKeyFile(encrypted).build()).hasMessage("tlsClientKeyPassword: null (expected: "
                + "the password of the encrypted PKCS#8 key in tlsClientKeyFile " + encrypted + ")");
        assertThatThrownBy(() -> cert.tlsClientKeyFile(garbage).build()).hasMessage("tlsClientKeyFile: " + garbage
                + " (expected: " + formats + "; found: PRIVATE KEY that does not decode)").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> cert.tlsClientKeyFile(PKI.server().privateKeyPem()).build()).hasMessage("tlsClientKeyFile: "
                + PKI.server().privateKeyPem() + " (expected: the private key of the first certificate in tlsClientCertFile)");
    }

    @Test
    void http2NeedsHttpsNodes() {
        assertThatThrownBy(() -> PoolConfig.builder().nodes("http://127.0.0.1:8200").httpVersion(HttpVersion.HTTP_2).build())
                .hasMessage("httpVersion: HTTP_2 (expected: HTTP_1_1 with http nodes: HTTP/2 is negotiated over TLS (ALPN),"
                        + " cleartext h2c is not supported)");
        assertThatThrownBy(() -> https().httpVersion(null)).hasMessage("httpVersion: null (expected: one of [HTTP_1_1, HTTP_2])");
    }

    @Test
    void toStringShowsWhichKeysAreSetButNoSecret() throws Exception {
        PoolConfig c = https().tlsTrustStore(PKI.trustStore()).tlsTrustStorePassword(PKI.password())
                .tlsKeyStore(PKI.client().keyStore()).tlsKeyStorePassword(PKI.password()).insecureSkipHostnameVerification(true).build();
        PoolConfig pem = https().tlsCaPem(PKI.caCertificatePemText()).build();

        assertThat(c.toString()).contains("tlsTrustStore=" + PKI.trustStore(), "tlsTrustStorePassword=<redacted>",
                "tlsKeyStore=" + PKI.client().keyStore(), "tlsKeyStorePassword=<redacted>", "insecureSkipHostnameVerification=true")
                .doesNotContain(PKI.password());
        assertThat(pem.toString()).contains("tlsCaPem=<PEM text, ").doesNotContain("BEGIN CERTIFICATE");
        assertThat(https().build().toString()).doesNotContain("tls").doesNotContain("httpVersion");
    }

    @Test
    void theReaderKnowsTheKeysAndNeverShowsASecret() {
        Map<String, String> p = new HashMap<>();
        p.put("vaultx.pool.vault.nodes", "https://127.0.0.1:8200");
        p.put("vaultx.pool.vault.tlsTrustStore", PKI.trustStore().toString());
        p.put("vaultx.pool.vault.tlsTrustStorePassword", "wrong-" + PKI.password());
        p.put("vaultx.pool.vault.httpVersion", "http/2");
        p.put("vaultx.pool.vault.insecureSkipHostnameVerification", "true");

        assertThat(PoolConfigReader.keys()).contains("tlsCaFile", "tlsCaPem", "tlsTrustStore", "tlsTrustStorePassword",
                "tlsClientCertFile", "tlsClientKeyFile", "tlsKeyStore", "tlsKeyStorePassword", "insecureSkipHostnameVerification",
                "httpVersion");
        assertThat(PoolConfigReader.isSecret("tlsTrustStorePassword")).isTrue();
        assertThat(PoolConfigReader.isSecret("tlsKeyStorePassword")).isTrue();
        assertThat(PoolConfigReader.isSecret("tlsCaPem")).isFalse();
        assertThatThrownBy(() -> PoolConfigReader.read("vault", p::get))
                .hasMessage("vaultx.pool.vault.tlsTrustStorePassword: <redacted> (expected: the password of tlsTrustStore "
                        + PKI.trustStore() + ")");

        p.put("vaultx.pool.vault.tlsTrustStorePassword", PKI.password());
        PoolConfig c = PoolConfigReader.read("vault", p::get);
        assertThat(c.httpVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(c.insecureSkipHostnameVerification()).isTrue();

        p.put("vaultx.pool.vault.tlsCaPem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----");
        assertThatThrownBy(() -> PoolConfigReader.read("vault", p::get))
                .hasMessageStartingWith("vaultx.pool.vault.tlsCaPem: <PEM text, ").hasMessageNotContaining("not base64");
        p.remove("vaultx.pool.vault.tlsCaPem");
        p.put("vaultx.pool.vault.httpVersion", "spdy");
        assertThatThrownBy(() -> PoolConfigReader.read("vault", p::get))
                .hasMessage("vaultx.pool.vault.httpVersion: spdy (expected: one of [HTTP_1_1, HTTP_2])");
    }

    @Test
    void aPasswordIsTakenAsGivenNotTrimmed() {
        Map<String, String> p = Map.of("vaultx.pool.nodes", "https://127.0.0.1:8200",
                "vaultx.pool.tlsKeyStore", PKI.client().keyStore().toString(),
                "vaultx.pool.tlsKeyStorePassword", " " + PKI.password() + " ");

        assertThatThrownBy(() -> PoolConfigReader.read("default", p::get)).hasMessageStartingWith("vaultx.pool.tlsKeyStorePassword: <redacted>");
    }

    @Test
    void aRunningPoolNeverLogsASecret() throws Exception {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(1).https(PKI.httpsRequiringClientCertificates()).start()) {
            PoolConfig config = TlsTestSupport.config(cluster).tlsTrustStore(PKI.trustStore()).tlsTrustStorePassword(PKI.password())
                    .tlsKeyStore(PKI.client().keyStore()).tlsKeyStorePassword(PKI.password()).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                pool.awaitReady(Duration.ofSeconds(10));
                assertThat(pool.toString()).doesNotContain(PKI.password());
                assertThat(pool.config().toString()).doesNotContain(PKI.password());
            }
            List<String> lines = logLines(config.name());
            assertThat(lines).isNotEmpty().noneSatisfy(l -> assertThat(l).contains(PKI.password()));
        }
        String log = Files.readString(TlsTestSupport.LOG, StandardCharsets.UTF_8);
        assertThat(log).doesNotContain(PKI.password())
                .doesNotContain(Files.readString(PKI.client().privateKeyPem()).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void tlsKeysWithHttpNodesAreAllowedAndWarnedAbout() throws Exception {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(1)) {
            PoolConfig config = TlsTestSupport.config(cluster).tlsCaFile(PKI.caCertificatePem()).build();
            try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
                pool.awaitReady(Duration.ofSeconds(10));
            }
            assertThat(logLines(config.name())).filteredOn(l -> l.contains(" WARN "))
                    .anySatisfy(l -> assertThat(l).contains(config.name() + " - [tlsCaFile] set but the nodes use http"));
        }
    }
}
