package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.internal.tls.PoolTls;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.config;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

/** What the client puts in its handshake (seen by a bare JDK server): SNI for host names, TLS 1.3 and 1.2 and nothing older. */
class SniAndProtocolsTest {

    /** A single-label name: the JDK alone would send none (it derives SNI only from names with a dot). */
    @Test
    void sendsTheNodesHostNameAsSniEvenWithoutADot() throws Exception {
        try (RawTlsServer server = new RawTlsServer(PKI.server().keyStore(), PKI.password(), "TLSv1.3", "TLSv1.2")) {
            serve(URI.create("https://localhost:" + server.port()));

            assertThat(server.handshakes()).isNotEmpty().allSatisfy(h -> assertThat(h.sniHostName()).isEqualTo("localhost"));
        }
    }

    @Test
    void sendsNoSniForAnIpAddressAsTlsRequires() throws Exception {
        try (RawTlsServer server = new RawTlsServer(PKI.server().keyStore(), PKI.password(), "TLSv1.3", "TLSv1.2")) {
            serve(URI.create("https://127.0.0.1:" + server.port()));

            assertThat(server.handshakes()).isNotEmpty().allSatisfy(h -> assertThat(h.sniHostName()).isNull());
        }
    }

    @Test
    void prefersTls13() throws Exception {
        try (RawTlsServer server = new RawTlsServer(PKI.server().keyStore(), PKI.password(), "TLSv1.3", "TLSv1.2")) {
            serve(URI.create("https://127.0.0.1:" + server.port()));

            assertThat(server.handshakes()).isNotEmpty().extracting(RawTlsServer.Handshake::protocol).containsOnly("TLSv1.3");
        }
    }

    @Test
    void speaksTls12ToANodeThatHasNothingNewer() throws Exception {
        try (RawTlsServer server = new RawTlsServer(PKI.server().keyStore(), PKI.password(), "TLSv1.2")) {
            serve(URI.create("https://127.0.0.1:" + server.port()));

            assertThat(server.handshakes()).isNotEmpty().extracting(RawTlsServer.Handshake::protocol).containsOnly("TLSv1.2");
        }
    }

    @Test
    void offersNothingOlderThanTls12() {
        PoolConfig config = config(List.of(URI.create("https://127.0.0.1:8200"))).build();
        PoolTls tls = PoolTls.create(config);

        assertThat(PoolTls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.tlsConfig().getSupportedProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.tlsConfig().getHandshakeTimeout().toMilliseconds()).isEqualTo(config.timeout().toMillis());
    }

    @Test
    void requestsAndProbesShareOnePoolTlsAndPoolsDoNot() {
        PoolConfig config = config(List.of(URI.create("https://127.0.0.1:8200"))).tlsCaFile(PKI.caCertificatePem()).build();
        Object pool = new Object();
        Object other = new Object();

        PoolTls requests = PoolTls.forRequests(config, pool);

        assertThat(PoolTls.forProbes(config, pool)).isSameAs(requests);
        assertThat(PoolTls.forProbes(config, other)).isNotSameAs(requests);
        assertThat(PoolTls.forRequests(config, other).sslContext()).isNotSameAs(requests.sslContext());
    }

    private static void serve(URI node) {
        PoolConfig config = config(List.of(node)).tlsCaFile(PKI.caCertificatePem()).build();
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            assertThat(pool.awaitReady(Duration.ofSeconds(10)).status()).isEqualTo(HealthStatus.UP);
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
    }
}
