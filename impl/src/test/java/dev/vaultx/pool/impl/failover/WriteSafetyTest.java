package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.vaultx.pool.impl.failover.FailoverSupport.apiRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A write is never sent twice to a cluster that may have processed it; it is re-sent only when it provably
 * never left the pool (connection refused), or when the caller marks it idempotent.
 */
class WriteSafetyTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = FailoverSupport.cluster(3);
        // probes far apart: every write below is sent while the pool still takes node 0 for the active node;
        // no prewarm: each write opens its connection, so a stopped node refuses it (rather than a pooled
        // connection whose close the I/O reactor has not noticed yet taking the write)
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster)
                .healthCheckInterval(Duration.ofSeconds(30))
                .prewarm(false)
                .build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        FailoverSupport.awaitStartupProbesDone(pool, cluster);
        cluster.resetJournals();
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    private long posts() {
        return apiRequests(cluster, "POST");
    }

    @Test
    void writeIsNotResentWhenTheConnectionResetsAfterItWasSent() {
        cluster.node(0).reset();

        VaultTransportException e = catchThrowableOfType(VaultTransportException.class,
                () -> pool.request(FailoverSupport.write("reset")));

        assertThat(e.kind().isBeforeSend()).as("kind %s", e.kind()).isFalse();
        assertThat(e.node()).isEqualTo(cluster.node(0).uri());
        assertThat(posts()).as("POSTs received by all nodes").isEqualTo(1);
        assertThat(apiRequests(cluster.node(0))).isEqualTo(1);
    }

    @Test
    void writeAnswered500IsNotResent() {
        cluster.node(0).failWith(500, 1);

        VaultResponse response = pool.request(FailoverSupport.write("five-hundred"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.node()).isEqualTo(cluster.node(0).uri());
        assertThat(posts()).as("POSTs received by all nodes").isEqualTo(1);
        assertThat(cluster.secret("app")).hasValue(Map.of("password", "hunter2"));
    }

    @Test
    void writeThatTimesOutOnABlackholedActiveIsNotResent() {
        cluster.node(0).blackhole();

        VaultTransportException e = catchThrowableOfType(VaultTransportException.class,
                () -> pool.request(FailoverSupport.write("blackhole")));

        assertThat(e.kind()).isEqualTo(FailureKind.RESPONSE_TIMEOUT);
        assertThat(posts()).as("POSTs received by all nodes").isEqualTo(1);
    }

    @Test
    void writeToAStoppedNodeIsRetriedElsewhereAndSucceeds() {
        cluster.node(0).stop();
        cluster.electLeader(1);

        VaultResponse response = pool.request(FailoverSupport.write("refused"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isNotEqualTo(cluster.node(0).uri());
        assertThat(posts()).as("POSTs received by all nodes").isEqualTo(1);
        assertThat(cluster.secret("app")).hasValue(Map.of("password", "refused"));
        assertThat(pool.stats().nodes().get(0).failedRequests()).isEqualTo(1);
    }

    @Test
    void idempotentWriteIsRetriedAfterA500() {
        cluster.node(0).failWith(500, 1);
        VaultRequest write = FailoverSupport.write("idempotent").toBuilder().idempotent(true).build();

        VaultResponse response = pool.request(write);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isNotEqualTo(cluster.node(0).uri());
        assertThat(posts()).as("POSTs received by all nodes").isEqualTo(2);
        assertThat(cluster.secret("app")).hasValue(Map.of("password", "idempotent"));
    }

    @Test
    void idempotentWriteIsRetriedAfterAConnectionReset() {
        cluster.node(0).reset();
        VaultRequest write = FailoverSupport.write("reset-idempotent").toBuilder().idempotent(true).build();

        VaultResponse response = pool.request(write);

        assertThat(response.status()).isEqualTo(200);
        assertThat(posts()).as("POSTs received by all nodes").isEqualTo(2);
        assertThat(apiRequests(cluster.node(0))).isEqualTo(1);
        assertThat(cluster.secret("app")).hasValue(Map.of("password", "reset-idempotent"));
    }
}
