package dev.vaultx.pool.impl;

import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.TestPools.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Leasing connections: getConnection, execute on the lease, returnConnection. */
class PooledConnectionTest {

    private static SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeAll
    static void startCluster() {
        cluster = SimulatedVaultCluster.start(3);
        cluster.put("app", Map.of("k", "v"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void startPool() {
        cluster.clearFaults();
        pool = TestPools.startReady(TestPools.config(cluster).size(1).maxOverflow(1).build(), cluster);
    }

    @AfterEach
    void closePool() {
        cluster.clearFaults();
        pool.close();
    }

    @Test
    void leasedConnectionExecutesARequestAndReturnsToThePool() {
        int before = pool.stats().totalConnections();

        PooledConnection c = pool.getConnection(Duration.ofSeconds(1));
        assertThat(c.isOpen()).isTrue();
        assertThat(c.node()).as("the active node, chosen by the balancer").isEqualTo(cluster.node(0).uri());
        assertThat(pool.stats().activeConnections()).isEqualTo(1);

        VaultResponse r = c.execute(read("app"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.node()).isEqualTo(c.node());
        assertThat(r.bodyAsString()).contains("\"k\":\"v\"");
        assertThat(c.executeAsync(read("app")).orTimeout(3, TimeUnit.SECONDS).join().status()).isEqualTo(200);

        pool.returnConnection(c);

        assertThat(c.isOpen()).isFalse();
        assertThat(pool.stats().activeConnections()).isZero();
        assertThat(pool.stats().totalConnections()).as("kept: within size").isEqualTo(before);
        assertThat(pool.stats().nodes().get(0).totalRequests()).isEqualTo(2);
        assertThat(c.toString()).contains("returned");
    }

    @Test
    void tryWithResourcesReturnsTheConnection() {
        try (PooledConnection c = pool.getConnection()) {
            assertThat(c.execute(read("app")).status()).isEqualTo(200);
            assertThat(pool.stats().activeConnections()).isEqualTo(1);
        }
        assertThat(pool.stats().activeConnections()).isZero();
    }

    @Test
    void returningTwiceIsHarmless() {
        PooledConnection a = pool.getConnection();
        PooledConnection b = pool.getConnection();
        assertThat(pool.stats().activeConnections()).isEqualTo(2);

        a.close();
        pool.returnConnection(a);
        a.close();
        assertThat(pool.stats().activeConnections()).isEqualTo(1);

        // the lease count was not corrupted: with b and c out and the pool shrunk to one connection per
        // node, one of them is above the new limit and closes when returned; had a's extra returns been
        // counted, both would be kept
        PooledConnection c = pool.getConnection();
        assertThat(c.execute(read("app")).status()).isEqualTo(200);
        pool.control().resize(1, 0);
        b.close();
        c.close();
        c.close();

        assertThat(pool.stats().activeConnections()).isZero();
        assertThat(pool.stats().nodes().get(0).totalConnections()).isEqualTo(1);
        assertThat(pool.stats().totalConnections()).isEqualTo(cluster.size());
    }

    @Test
    void executeAfterReturnIsAnIllegalState() {
        PooledConnection c = pool.getConnection();
        c.close();

        assertThatThrownBy(() -> c.execute(read("app"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already returned");
    }

    @Test
    void secondExchangeWhileTheFirstIsUnderWayIsAnIllegalState() {
        cluster.node(0).slow(Duration.ofMillis(300));
        try (PooledConnection c = pool.getConnection()) {
            CompletableFuture<VaultResponse> first = c.executeAsync(read("app"));

            assertThatThrownBy(() -> c.executeAsync(read("app"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("busy");
            assertThat(first.orTimeout(3, TimeUnit.SECONDS).join().status()).isEqualTo(200);
            assertThat(c.execute(read("app")).status()).isEqualTo(200);
        }
    }

    @Test
    void getConnectionTimesOutWhenEveryConnectionIsLeased() {
        // size 1 + overflow 1 on the active node
        PooledConnection a = pool.getConnection();
        PooledConnection b = pool.getConnection();
        try {
            Duration wait = Duration.ofMillis(200);
            long start = System.nanoTime();
            PoolExhaustedException e = catchThrowableOfType(PoolExhaustedException.class, () -> pool.getConnection(wait));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(e).isNotNull();
            assertThat(took).isGreaterThanOrEqualTo(wait).isLessThan(Duration.ofMillis(1500));
            assertThat(e.node()).isEqualTo(cluster.node(0).uri());
            assertThat(e.getMessage()).contains("size=1", "maxOverflow=1", "active=2");
            assertThat(pool.stats().pendingRequests()).isZero();
        } finally {
            a.close();
            b.close();
        }
        // and the pool still works
        try (PooledConnection c = pool.getConnection(Duration.ofMillis(200))) {
            assertThat(c.execute(read("app")).status()).isEqualTo(200);
        }
    }

    @Test
    void getConnectionWithZeroTimeoutFailsFastWhenExhausted() {
        PooledConnection a = pool.getConnection();
        PooledConnection b = pool.getConnection();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.getConnection(Duration.ZERO)).isInstanceOf(PoolExhaustedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void negativeOrNullTimeoutIsRejected() {
        assertThatThrownBy(() -> pool.getConnection(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("^timeout: .* \\(expected: .+\\)$");
        assertThatThrownBy(() -> pool.getConnection(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void waitingGetConnectionGetsAConnectionReturnedInTime() {
        PooledConnection a = pool.getConnection();
        PooledConnection b = pool.getConnection();
        CompletableFuture<PooledConnection> waiter = CompletableFuture.supplyAsync(() -> pool.getConnection(Duration.ofSeconds(3)));
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().pendingRequests() == 1);

        a.close();

        try (PooledConnection c = waiter.orTimeout(3, TimeUnit.SECONDS).join()) {
            assertThat(c.execute(read("app")).status()).isEqualTo(200);
        }
        b.close();
        assertThat(pool.stats().activeConnections()).isZero();
    }

    @Test
    void connectionReturnedAfterThePoolClosedIsHarmless() {
        PooledConnection c = pool.getConnection();
        assertThat(c.execute(read("app")).status()).isEqualTo(200);

        pool.close();

        assertThat(c.isOpen()).isFalse();
        assertThatCode(c::close).doesNotThrowAnyException();
        assertThatCode(() -> pool.returnConnection(c)).doesNotThrowAnyException();
        assertThatCode(pool::stats).doesNotThrowAnyException();
    }

    @Test
    void executeOnALeaseAfterThePoolClosedFailsWithPoolClosed() {
        PooledConnection c = pool.getConnection();
        pool.close();

        assertThatThrownBy(() -> c.execute(read("app"))).isInstanceOf(PoolClosedException.class);
        c.close();
    }

    @Test
    void getConnectionAfterCloseFailsWithPoolClosed() {
        pool.close();

        assertThatThrownBy(() -> pool.getConnection(Duration.ofMillis(100))).isInstanceOf(PoolClosedException.class);
    }

    @Test
    void failedExchangeBreaksTheConnectionWhichIsClosedOnReturn() {
        PooledConnection c = pool.getConnection();
        cluster.node(0).reset();
        try {
            assertThatThrownBy(() -> c.execute(VaultRequest.get("/v1/secret/data/app").token(TestPools.TOKEN).build()))
                    .isInstanceOf(dev.vaultx.pool.VaultTransportException.class);
            assertThat(c.isOpen()).isFalse();
        } finally {
            cluster.clearFaults();
            c.close();
        }
        assertThat(pool.stats().activeConnections()).isZero();
        assertThat(pool.stats().nodes().get(0).failedRequests()).isEqualTo(1);
    }
}
