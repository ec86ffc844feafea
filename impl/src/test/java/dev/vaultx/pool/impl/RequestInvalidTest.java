package dev.vaultx.pool.impl;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import static dev.vaultx.pool.impl.TestPools.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A request the HTTP layer refuses before sending a byte (here a {@code TRACE} with a body, which passes
 * {@code VaultRequest.build()} and which httpcore5 refuses locally with a {@code ProtocolException}) is the
 * request's own failure: {@code REQUEST_INVALID}, no retry, nothing against any node.
 */
class RequestInvalidTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.start(3);
        // a breaker would open on the 5th failure in a row: 15 poison requests would open all three
        pool = TestPools.startReady(TestPools.config(cluster).circuitBreakerFailureThreshold(5).maxRetries(3).build(), cluster);
        cluster.resetJournals();
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    private static VaultRequest poison() {
        return VaultRequest.builder("TRACE", "/v1/secret/data/app").token(TOKEN).body("{}").build();
    }

    @Test
    void fifteenRequestsRefusedLocallyFailAloneAndLeaveEveryBreakerClosed() {
        for (int i = 0; i < 15; i++) {
            Throwable t = catchThrowable(() -> pool.requestAsync(poison()).join());
            assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(VaultTransportException.class);
            VaultTransportException e = (VaultTransportException) t.getCause();
            assertThat(e.kind()).isEqualTo(FailureKind.REQUEST_INVALID);
            assertThat(e.getMessage()).contains("TRACE").doesNotContain(TOKEN);
        }

        for (NodeHealth n : pool.health().nodes()) {
            assertThat(n.circuitState()).as("breaker of %s", n.node()).isEqualTo(CircuitState.CLOSED);
            assertThat(n.consecutiveFailures()).isZero();
        }
        assertThat(pool.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(cluster.totalRequests("/v1/secret")).as("requests that reached a node").isZero();
        assertThat(pool.stats().nodes()).allSatisfy(n -> assertThat(n.failedRequests()).isZero());
        assertThat(pool.stats().failedRequests()).isEqualTo(15);
        // one try each: not retried on the other nodes
        assertThat(pool.stats().nodes().stream().mapToLong(n -> n.totalRequests()).sum()).isEqualTo(15);

        assertThat(pool.request(TestPools.read("app")).status()).isIn(200, 404);
        await().atMost(Duration.ofSeconds(2)).until(() -> pool.stats().activeConnections() == 0);
    }

    @Test
    void aPooledConnectionExchangeRefusedLocallyIsNotTheNodesFailure() {
        try (PooledConnection c = pool.getConnection(Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> c.execute(poison()))
                    .isInstanceOfSatisfying(VaultTransportException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.REQUEST_INVALID));
        }
        assertThat(pool.health().nodes()).allSatisfy(n -> {
            assertThat(n.circuitState()).isEqualTo(CircuitState.CLOSED);
            assertThat(n.consecutiveFailures()).isZero();
        });
        assertThat(pool.stats().nodes()).allSatisfy(n -> assertThat(n.failedRequests()).isZero());
    }
}
