package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.vaultx.pool.impl.failover.FailoverSupport.TOKEN;
import static dev.vaultx.pool.impl.failover.FailoverSupport.apiRequests;
import static org.assertj.core.api.Assertions.assertThat;

/** 307s are followed at most once, only to configured nodes, and the token never goes anywhere else. */
class RedirectTest {

    private SimulatedVaultCluster cluster;
    private SimulatedVaultCluster outsider;
    private AsyncHttpConnectionPool pool;

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster, outsider);
    }

    private void startPool(SimulatedVaultCluster c, BalancingStrategy strategy) {
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(c).balancingStrategy(strategy).build());
        FailoverSupport.awaitSettled(pool, c.node(0).uri());
    }

    @Test
    void doesNotFollowRedirectToAHostOutsideTheClusterNorSendItTheToken() {
        cluster = FailoverSupport.cluster(3);
        outsider = SimulatedVaultCluster.start(1); // another listener on 127.0.0.1 that records what reaches it
        SimulatedVaultNode stranger = outsider.node(0);
        startPool(cluster, BalancingStrategy.VAULT_AWARE);
        cluster.node(0).redirectTo(stranger.uri());

        VaultResponse read = pool.request(FailoverSupport.read());
        VaultResponse write = pool.request(FailoverSupport.write("leak?"));

        assertThat(read.status()).isEqualTo(307);
        assertThat(read.header("Location")).hasValue(stranger.uri() + FailoverSupport.SECRET);
        assertThat(write.status()).isEqualTo(307);
        assertThat(stranger.requestCount()).as("requests that reached the host outside the cluster").isZero();
        assertThat(apiRequests(cluster.node(0))).isEqualTo(2);
        assertThat(apiRequests(cluster.node(1)) + apiRequests(cluster.node(2))).isZero();
    }

    @Test
    void followsRedirectToAConfiguredNodeOnceAndSendsTheTokenThere() {
        cluster = FailoverSupport.cluster(3);
        startPool(cluster, BalancingStrategy.VAULT_AWARE);
        cluster.node(0).redirectTo(cluster.node(1).uri());

        VaultResponse response = pool.request(FailoverSupport.read());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.node()).isEqualTo(cluster.node(1).uri());
        assertThat(apiRequests(cluster.node(0))).isEqualTo(1);
        List<RecordedRequest> atTarget = cluster.node(1).requests().stream()
                .filter(r -> r.path().startsWith(FailoverSupport.API)).toList();
        assertThat(atTarget).singleElement().satisfies(r -> {
            assertThat(r.pathAndQuery()).isEqualTo(FailoverSupport.SECRET);
            assertThat(r.header("X-Vault-Token")).hasValue(TOKEN);
        });
    }

    @Test
    void redirectLoopBetweenTwoNodesEndsAfterOneHop() {
        cluster = FailoverSupport.cluster(3);
        startPool(cluster, BalancingStrategy.VAULT_AWARE);
        cluster.node(0).redirectTo(cluster.node(1).uri());
        cluster.node(1).redirectTo(cluster.node(0).uri());

        long t0 = System.nanoTime();
        VaultResponse response = pool.request(FailoverSupport.read());

        assertThat(response.status()).isEqualTo(307);
        assertThat(FailoverSupport.millisSince(t0)).isLessThan(FailoverSupport.REQUEST_TIMEOUT.toMillis() / 2);
        assertThat(apiRequests(cluster.node(0))).as("requests on node 0").isEqualTo(1);
        assertThat(apiRequests(cluster.node(1))).as("requests on node 1").isEqualTo(1);
        assertThat(apiRequests(cluster.node(2))).isZero();
    }

    @Test
    void followsEachStandbyRedirectToTheActiveNode() {
        cluster = FailoverSupport.cluster(SimulatedVaultCluster.builder().nodes(3).redirectStandbys());
        // round robin sends two reads in three to standbys, which answer 307 to the active node
        startPool(cluster, BalancingStrategy.ROUND_ROBIN);

        for (int i = 0; i < 30; i++) {
            VaultResponse response = pool.request(FailoverSupport.read());
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.node()).isEqualTo(cluster.node(0).uri());
        }

        long redirected = apiRequests(cluster.node(1)) + apiRequests(cluster.node(2));
        assertThat(redirected).as("reads answered 307 by a standby").isPositive();
        assertThat(apiRequests(cluster.node(0))).isEqualTo(30);
        assertThat(pool.health().activeNode()).isEqualTo(cluster.node(0).uri());
    }

    @Test
    void handsTheRedirectToTheCallerWhenFollowingIsOff() {
        cluster = FailoverSupport.cluster(3);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).followRedirects(false).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
        cluster.node(0).redirectTo(cluster.node(1).uri());

        VaultResponse response = pool.request(FailoverSupport.read());

        assertThat(response.status()).isEqualTo(307);
        assertThat(apiRequests(cluster.node(1))).isZero();
        assertThat(pool.awaitReady(Duration.ofSeconds(1)).activeNode()).isEqualTo(cluster.node(0).uri());
    }
}
