package dev.vaultx.pool.impl.tls;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.TestPools;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.tls.TestPki;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared set-up of the TLS tests: the JVM's test PKI, test-sized pools, unique pool names, the test log. */
final class TlsTestSupport {

    static final TestPki PKI = TestPki.shared();
    static final String TOKEN = "s.tls-test-token";
    /** Where slf4j-simple writes during tests (src/test/resources/simplelogger.properties). */
    static final Path LOG = Path.of("target", "pool-test.log");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TlsTestSupport() {
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet();
    }

    /** A test-sized configuration for the cluster's nodes, no TLS keys yet. */
    static PoolConfigBuilder config(SimulatedVaultCluster cluster) {
        return config(cluster.urls());
    }

    static PoolConfigBuilder config(List<URI> nodes) {
        return PoolConfig.builder()
                .name(uniqueName("tls"))
                .nodeUris(nodes)
                .size(1)
                .maxOverflow(1)
                .ioThreads(1)
                .timeout(Duration.ofSeconds(3))
                .borrowTimeout(Duration.ofSeconds(3))
                .requestTimeout(Duration.ofSeconds(8))
                .attemptTimeout(Duration.ofSeconds(5))
                .healthCheckInterval(Duration.ofSeconds(60))
                .healthCheckTimeout(Duration.ofSeconds(3))
                .shutdownTimeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(10))
                .maxRetryBackoff(Duration.ofMillis(100));
    }

    /** @return the nodes' URIs with {@code localhost} instead of {@code 127.0.0.1} */
    static List<URI> asLocalhost(SimulatedVaultCluster cluster) {
        return cluster.urls().stream().map(u -> URI.create(u.getScheme() + "://localhost:" + u.getPort())).toList();
    }

    /**
     * Starts a pool and waits until its health probing has settled: the first probes, then the quick second
     * round the monitor runs at start while no active node was known (250 ms later). After this no probe runs
     * for {@code healthCheckInterval} (60 s here), so a test can change a node without a probe seeing it.
     */
    static AsyncHttpConnectionPool startSettled(PoolConfig config, SimulatedVaultCluster cluster,
                                                com.codahale.metrics.MetricRegistry registry) {
        Instant started = Instant.now();
        AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start();
        pool.awaitReady(Duration.ofSeconds(10));
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> TestPools.secondProbeRecorded(pool, cluster, started));
        } catch (org.awaitility.core.ConditionTimeoutException noSecondRound) {
            // the first probes answered before the schedule started: there is no second round
        }
        return pool;
    }

    static VaultRequest read(String secret) {
        return VaultRequest.get("/v1/secret/data/" + secret).token(TOKEN).build();
    }

    /** @return the lines the test log holds for a pool (its name is in every line the pool writes) */
    static List<String> logLines(String pool) throws IOException {
        if (!Files.exists(LOG)) {
            return List.of();
        }
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream().filter(l -> l.contains(pool + " ")).toList();
    }
}
