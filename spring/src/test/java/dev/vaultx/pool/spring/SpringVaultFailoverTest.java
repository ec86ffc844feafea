package dev.vaultx.pool.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.core.VaultVersionedKeyValueOperations;
import org.springframework.vault.support.Versioned;

/** The active node dies while 8 threads read through {@code VaultTemplate}: the pool fails over and no read fails. */
class SpringVaultFailoverTest {

    private static final String TOKEN = "s.spring-failover-5c1e";
    private static final int THREADS = 8;

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private ExecutorService readers;

    @AfterEach
    void stop() throws InterruptedException {
        if (readers != null) {
            readers.shutdownNow();
            readers.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (pool != null) {
            pool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void activeNodeStoppedDuringEightThreadsOfReadsFailsNoRead() throws Exception {
        cluster = SimulatedVaultCluster.builder().nodes(3).token(TOKEN).journalLimit(60_000).start();
        cluster.put("app", Map.of("password", "hunter2"));
        pool = AsyncHttpConnectionPool.start(PoolConfig.builder().name("spring-failover").nodeUris(cluster.urls())
                .size(8).maxOverflow(8).ioThreads(2)
                .timeout(Duration.ofSeconds(1)).borrowTimeout(Duration.ofSeconds(2))
                .healthCheckInterval(Duration.ofMillis(300)).healthCheckTimeout(Duration.ofMillis(200))
                .attemptTimeout(Duration.ofMillis(400)).requestTimeout(Duration.ofSeconds(4))
                .circuitBreakerDelay(Duration.ofMillis(400)).shutdownTimeout(Duration.ofSeconds(2)).build());
        pool.awaitReady(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.health().status() == HealthStatus.UP);
        VaultVersionedKeyValueOperations kv = new VaultTemplate(VaultEndpoint.from(URI.create("https://vault:8200")),
                new VaultPoolRequestFactory(pool), new SimpleSessionManager(new TokenAuthentication(TOKEN)))
                .opsForVersionedKeyValue("secret");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        readers = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> loops = new java.util.ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            loops.add(readers.submit(() -> {
                while (running.get()) {
                    try {
                        Versioned<Map<String, Object>> v = kv.get("app");
                        if (v == null || !"hunter2".equals(v.getRequiredData().get("password"))) {
                            failures.add("unexpected read: " + v);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                    reads.incrementAndGet();
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 200);

        long t0 = System.nanoTime();
        cluster.node(0).stop();
        cluster.electLeader(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.node(1).uri().equals(pool.health().activeNode()));
        long failedOverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long afterFailover = reads.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > afterFailover + 500);
        running.set(false);
        for (Future<?> f : loops) {
            f.get(10, TimeUnit.SECONDS);
        }

        System.out.printf("measured: VaultTemplate, 8 threads: %d reads, %d failed, new active node used after %d ms%n",
                reads.get(), failures.size(), failedOverMs);
        assertThat(failures).as("failed reads").isEmpty();
        assertThat(cluster.node(1).requestCount("/v1/secret")).isGreaterThan(500);
    }
}
