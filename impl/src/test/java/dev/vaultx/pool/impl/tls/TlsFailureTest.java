package dev.vaultx.pool.impl.tls;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.metrics.MetricNames;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.tls.HttpsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static dev.vaultx.pool.impl.tls.TlsTestSupport.PKI;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.config;
import static dev.vaultx.pool.impl.tls.TlsTestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A TLS failure is a configuration error: the request fails at once with kind TLS and a message that says
 * what the handshake refused, without retries and without counting against the node's breaker. The
 * request path is tested on a pool that started healthy, whose active node then presents another
 * certificate (a rotation gone wrong), so that no health probe runs in between.
 *
 * <p>A client certificate the node refuses is not tested here: under TLS 1.3 the server checks it after the
 * client has finished its handshake, so the client sees either the server's alert (kind TLS) or, when the
 * server's close overtakes it, a reset connection (retried like any reset); see {@link ClientCertificateTest}.
 */
class TlsFailureTest {

    private SimulatedVaultCluster cluster;
    private final MetricRegistry registry = new MetricRegistry();

    @BeforeEach
    void startCluster() {
        cluster = SimulatedVaultCluster.builder().nodes(3).https(PKI).start();
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void anUntrustedCertificateFailsTheRequestAtOnceWithKindTls() {
        VaultTransportException e = failAfterTheActiveNodeSwitchesTo(PKI.https(PKI.untrustedServer()));

        assertThat(e.getMessage()).contains("TLS on " + cluster.node(0).uri()).contains("SSLHandshakeException")
                .contains("unable to find valid certification path");
    }

    @Test
    void aCertificateForAnotherHostNameFailsTheRequestAtOnceWithKindTls() {
        VaultTransportException e = failAfterTheActiveNodeSwitchesTo(PKI.https(PKI.localhostOnlyServer()));

        assertThat(e.getMessage()).contains("TLS on " + cluster.node(0).uri()).contains("SSLHandshakeException")
                .contains("No subject alternative names matching IP address 127.0.0.1");
    }

    /**
     * At start, the health probes meet the same handshake failure: the nodes are UNREACHABLE with the handshake
     * error as their last error (and, as for any unreachable node, their breakers open), the pool is DOWN.
     */
    @Test
    void aClusterNobodyTrustsIsReportedDownWithTheHandshakeErrorOfEachNode() {
        PoolConfig config = config(cluster).build(); // the JVM's CAs: not the test CA
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth health = pool.awaitReady(Duration.ofSeconds(10));

            assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(health.nodes()).extracting(NodeHealth::lastError).allSatisfy(error -> assertThat(error)
                    .startsWith("SSLHandshakeException: PKIX path building failed")
                    .contains("unable to find valid certification path"));
            assertThatThrownBy(() -> pool.request(read("app"))).isInstanceOf(VaultPoolException.class);
            assertThat(cluster.totalRequests("/v1/secret")).as("no request got through").isZero();
        }
    }

    /**
     * Starts a healthy pool (no prewarm, so it holds no request connection) and waits until no probe is due,
     * makes the active node present other TLS settings, and sends one read.
     */
    private VaultTransportException failAfterTheActiveNodeSwitchesTo(HttpsOptions options) {
        PoolConfig config = config(cluster).tlsCaFile(PKI.caCertificatePem()).prewarm(false).maxRetries(3).build();
        try (AsyncHttpConnectionPool pool = TlsTestSupport.startSettled(config, cluster, registry)) {
            assertThat(pool.health().status()).isEqualTo(HealthStatus.UP);
            cluster.node(0).https(options).restart();
            cluster.resetJournals();

            long start = System.nanoTime();
            VaultTransportException e = catchThrowableOfType(VaultTransportException.class, () -> pool.request(read("app")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.TLS);
            assertThat(e.node()).isEqualTo(cluster.node(0).uri());
            assertThat(e.getCause()).isInstanceOf(javax.net.ssl.SSLException.class);
            assertThat(took).as("no retries, no backoff").isLessThan(Duration.ofSeconds(3));
            assertThat(opened(cluster.node(0).uri(), config)).as("one connection attempt, not a retry storm").isEqualTo(1);
            assertThat(opened(cluster.node(1).uri(), config) + opened(cluster.node(2).uri(), config))
                    .as("not retried on the standbys").isZero();
            assertThat(cluster.totalRequests("/v1/secret")).isZero();
            assertThat(pool.health().nodes().get(0).circuitState()).as("not a node failure").isEqualTo(CircuitState.CLOSED);
            return e;
        }
    }

    private long opened(URI node, PoolConfig config) {
        Counter c = (Counter) registry.getMetrics().get(MetricNames.node(config.name(), node, MetricNames.NODE_CONNECTIONS_OPENED));
        return c == null ? 0 : c.getCount();
    }
}
