package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.impl.Closing;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.vaultx.pool.impl.failover.FailoverSupport.IN_FLIGHT;
import static dev.vaultx.pool.impl.failover.FailoverSupport.apiRequests;
import static dev.vaultx.pool.impl.failover.FailoverSupport.isShunned;
import static dev.vaultx.pool.impl.failover.FailoverSupport.millisSince;
import static dev.vaultx.pool.impl.failover.FailoverSupport.nodeHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The active node dies or steps down under sustained load: the pool moves to the new active node without a failed read. */
class ActiveNodeFailoverTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;
    private SustainedLoad load;

    private void start(SimulatedVaultCluster.Builder nodes) {
        cluster = FailoverSupport.cluster(nodes);
        pool = AsyncHttpConnectionPool.start(FailoverSupport.config(cluster).build());
        FailoverSupport.awaitSettled(pool, cluster.node(0).uri());
    }

    @AfterEach
    void stop() {
        Closing.closeAll(load, pool, cluster);
    }

    @Test
    void failsOverToNewActiveWithoutFailedReadsWhenActiveNodeStops() {
        start(SimulatedVaultCluster.builder().nodes(3));
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 300);
        long node1Before = apiRequests(cluster.node(1));

        long t0 = System.nanoTime();
        cluster.node(0).stop();
        await().atMost(Duration.ofSeconds(3)).until(() -> isShunned(pool, 0));
        long shunnedMs = millisSince(t0);
        cluster.electLeader(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.node(1).uri().equals(pool.health().activeNode()));
        long newActiveMs = millisSince(t0);
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 500);

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: active stopped: node 0 shunned after %d ms, node 1 active in the pool after %d ms; %s%n",
                shunnedMs, newActiveMs, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        NodeHealth dead = nodeHealth(pool, 0);
        assertThat(dead.circuitState() == CircuitState.OPEN || dead.role() == NodeRole.UNREACHABLE)
                .as("node 0 after it stopped: %s", dead).isTrue();
        assertThat(pool.health().activeNode()).isEqualTo(cluster.node(1).uri());
        assertThat(apiRequests(cluster.node(1))).as("API requests on the new active node").isGreaterThan(node1Before + 500);
        assertThat(result.successesByNode().get(cluster.node(1).uri())).isGreaterThan(500L);
    }

    @Test
    void waitsForTheNewLeaderWhileStandbysRedirectToTheStoppedActive() {
        // standbys that cannot forward answer 307 to the active node they know, here a dead one
        start(SimulatedVaultCluster.builder().nodes(3).redirectStandbys());
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 300);

        long t0 = System.nanoTime();
        cluster.node(0).stop();
        long redirectsBefore = apiRequests(cluster.node(1)) + apiRequests(cluster.node(2));
        // the reads in flight meet standbys pointing at the dead node, each at least twice, before the election (waits
        // for an election back off, so that takes a few hundred milliseconds)
        await().atMost(Duration.ofSeconds(3)).until(() ->
                apiRequests(cluster.node(1)) + apiRequests(cluster.node(2)) > redirectsBefore + 2L * IN_FLIGHT);
        cluster.electLeader(1);
        long electedMs = millisSince(t0);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.node(1).uri().equals(pool.health().activeNode()));
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 300);

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: standbys redirecting to the stopped active: leader elected after %d ms; %s%n",
                electedMs, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        assertThat(nodeHealth(pool, 0).role()).isEqualTo(NodeRole.UNREACHABLE);
        assertThat(result.successesByNode().get(cluster.node(1).uri())).isGreaterThan(300L);
    }

    @Test
    void ridesThroughLeaderElectionWithoutFailedReads() {
        start(SimulatedVaultCluster.builder().nodes(3));
        load = SustainedLoad.start(pool, IN_FLIGHT, FailoverSupport::read);
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > 300);

        long t0 = System.nanoTime();
        cluster.stepDown();
        // no active node: standbys answer 503 "no active Vault instance found" until the election ends
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.health().activeNode() == null);
        long noActiveMs = millisSince(t0);
        long duringElection = load.successes();
        long electionStart = System.nanoTime();
        long triesBefore = cluster.totalRequests(FailoverSupport.API);
        // let each read in flight hit the leaderless cluster at least twice before a leader is elected (waits for an
        // election back off, so that takes a few hundred milliseconds)
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.totalRequests(FailoverSupport.API) > triesBefore + 2L * IN_FLIGHT);
        long servedDuringElection = load.successes() - duringElection;
        cluster.electLeader(2);
        long electionMs = millisSince(electionStart);
        await().atMost(Duration.ofSeconds(3)).until(() -> cluster.node(2).uri().equals(pool.health().activeNode()));
        long settledMs = millisSince(t0);
        long successes = load.successes();
        await().atMost(Duration.ofSeconds(5)).until(() -> load.successes() > successes + 500);

        SustainedLoad.Result result = load.stop();
        System.out.printf("measured: leader election: no active after %d ms, election %d ms (%d reads completed meanwhile),"
                + " node 2 active in the pool after %d ms; %s%n", noActiveMs, electionMs, servedDuringElection, settledMs, result);
        assertThat(result.failures()).as("failed reads: %s", result).isEmpty();
        assertThat(result.slowest()).isLessThan(FailoverSupport.REQUEST_TIMEOUT);
        assertThat(pool.health().nodes()).allSatisfy(h -> assertThat(h.circuitState()).isEqualTo(CircuitState.CLOSED));
        assertThat(result.successesByNode().get(cluster.node(2).uri())).isGreaterThan(500L);
    }
}
