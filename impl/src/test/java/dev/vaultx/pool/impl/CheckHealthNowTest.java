package dev.vaultx.pool.impl;

import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code checkHealthNow()} reports what the probes it asks for find, even while other probes of a node run. */
class CheckHealthNowTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    /**
     * Right after start the first probes are under way (here each takes 300 ms). A check asked for then awaits them.
     * Before, it found each node "being probed", probed nothing, and reported the health known before any answer.
     */
    @Test
    void checkRightAfterStartAwaitsTheFirstProbes() {
        cluster = SimulatedVaultCluster.start(3);
        for (int i = 0; i < 3; i++) {
            cluster.node(i).slowPath("/v1/sys/health", Duration.ofMillis(300));
        }
        pool = AsyncHttpConnectionPool.start(TestPools.config(cluster).build());

        PoolHealth health = pool.control().checkHealthNow().orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(health.status()).as("%s", health).isEqualTo(HealthStatus.UP);
        assertThat(health.activeNode()).isEqualTo(cluster.node(0).uri());
    }
}
