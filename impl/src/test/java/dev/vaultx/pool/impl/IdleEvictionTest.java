package dev.vaultx.pool.impl;

import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.impl.testing.FakeTicker;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Idle connections older than {@code maxIdleTime} are closed by the pool's maintenance, on real connections. */
class IdleEvictionTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void startCluster() {
        cluster = SimulatedVaultCluster.start(2);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterEach
    void close() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void idleConnectionsCloseAfterMaxIdleTime() {
        pool = TestPools.startReady(TestPools.config(cluster).size(3).maxIdleTime(Duration.ofMillis(500)).build(), cluster);
        assertThat(pool.stats().totalConnections()).isEqualTo(2 * 3);

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> pool.stats().totalConnections() == 0);

        PoolStats s = pool.stats();
        assertThat(s.idleConnections()).isZero();
        assertThat(s.activeConnections()).isZero();
    }

    @Test
    void poolOpensNewConnectionsAfterEviction() {
        pool = TestPools.startReady(TestPools.config(cluster).size(2).maxIdleTime(Duration.ofMillis(300)).build(), cluster);
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.stats().totalConnections() == 0);

        assertThat(pool.request(read("app")).status()).isEqualTo(200);

        assertThat(pool.stats().totalConnections()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.stats().totalConnections() == 0);
    }

    @Test
    void busyConnectionsAreNotEvicted() {
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(0)
                .maxIdleTime(Duration.ofMillis(300)).build(), cluster);
        try (var held = pool.getConnection()) {
            // the other node's idle connection goes; the leased one stays however long it is held
            await().atMost(Duration.ofSeconds(3)).until(() -> pool.stats().totalConnections() == 1);
            assertThat(pool.stats().activeConnections()).isEqualTo(1);
            assertThat(held.execute(read("app")).status()).isEqualTo(200);
        }
    }

    @Test
    void evictIdleClosesEveryIdleConnectionNow() {
        pool = TestPools.startReady(TestPools.config(cluster).size(2).build(), cluster);
        assertThat(pool.stats().idleConnections()).isEqualTo(4);

        int evicted = pool.control().evictIdle();

        assertThat(evicted).isEqualTo(4);
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().totalConnections() == 0);
    }

    /**
     * The pool keeps the connections returned while nobody waits, passivated: idle longer than their socket timeout
     * (here 300 ms) they are still there, and the next request uses one without opening a connection.
     */
    @Test
    void keptConnectionsOutliveTheirSocketTimeoutWhileIdle() {
        Duration attemptTimeout = Duration.ofMillis(300);
        pool = TestPools.startReady(TestPools.config(cluster).size(2).attemptTimeout(attemptTimeout).build(), cluster);
        for (int i = 0; i < 10; i++) {
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
        long opened = opened();

        await().during(attemptTimeout.multipliedBy(3)).atMost(Duration.ofSeconds(5))
                .until(() -> pool.stats().idleConnections() == 4);
        for (int i = 0; i < 10; i++) {
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }

        assertThat(opened()).as("connections opened after the idle time").isEqualTo(opened);
    }

    /**
     * The connections the pool keeps age on its ticker: with the ticker standing still they stay however much real
     * time passes; moved past {@code maxIdleTime}, the next maintenance closes them.
     */
    @Test
    void keptConnectionsAgeOnThePoolsTicker() {
        FakeTicker ticker = new FakeTicker();
        Duration maxIdle = Duration.ofSeconds(30);
        pool = AsyncHttpConnectionPool.builder(TestPools.config(cluster).size(2).maxIdleTime(maxIdle).build())
                .ticker(ticker).start();
        pool.awaitReady(TestPools.READY);
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.stats().idleConnections() == 4);
        for (int i = 0; i < 10; i++) {
            assertThat(pool.request(read("app")).status()).isEqualTo(200);
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> pool.stats().idleConnections() == 4);

        ticker.advance(maxIdle.plusSeconds(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().totalConnections() == 0);
        assertThat(pool.request(read("app")).status()).as("a new connection after the eviction").isEqualTo(200);
    }

    private long opened() {
        return pool.stats().nodes().stream().mapToLong(n -> n.connectionsOpened()).sum();
    }
}
