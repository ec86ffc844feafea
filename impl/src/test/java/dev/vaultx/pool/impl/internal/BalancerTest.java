package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Node choice: role tiers, usability, tried nodes and load. */
class BalancerTest {

    private static final int PICKS = 600;
    private static final VaultRequest READ = VaultRequest.get("/v1/secret/data/app").build();
    private static final VaultRequest WRITE = VaultRequest.builder("POST", "/v1/secret/data/app").body("{}").build();

    private final PoolConfig config = PoolConfig.builder()
            .nodes("http://127.0.0.1:8201", "http://127.0.0.1:8202", "http://127.0.0.1:8203", "http://127.0.0.1:8204")
            .build();

    private List<NodeState> nodes(NodeRole... roles) {
        List<NodeState> list = new ArrayList<>();
        for (int i = 0; i < roles.length; i++) {
            NodeState n = new NodeState(i, config.nodes().get(i), config, () -> 0L, (from, to) -> { });
            n.role = roles[i];
            list.add(n);
        }
        return list;
    }

    /** @return how often each node index was chosen (-1 for none) */
    private static Map<Integer, Integer> picks(Balancer b, VaultRequest request, NodeSet tried) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < PICKS; i++) {
            NodeState n = b.choose(request, tried);
            counts.merge(n == null ? -1 : n.index, 1, Integer::sum);
        }
        return counts;
    }

    private static Balancer vaultAware(List<NodeState> nodes, boolean readFromStandbys) {
        return new Balancer(nodes, BalancingStrategy.VAULT_AWARE, readFromStandbys);
    }

    @Test
    void writesGoToTheActiveNodeEvenWithReadsFromStandbys() {
        List<NodeState> n = nodes(NodeRole.PERFORMANCE_STANDBY, NodeRole.STANDBY, NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY);

        assertThat(picks(vaultAware(n, true), WRITE, null)).containsOnlyKeys(2);
        assertThat(picks(vaultAware(n, false), WRITE, null)).containsOnlyKeys(2);
    }

    @Test
    void readsGoToTheActiveNodeOnlyUnlessReadFromStandbys() {
        List<NodeState> n = nodes(NodeRole.PERFORMANCE_STANDBY, NodeRole.STANDBY, NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY);

        assertThat(picks(vaultAware(n, false), READ, null)).containsOnlyKeys(2);
    }

    @Test
    void readsSpreadOverActiveAndPerformanceStandbysWithReadFromStandbys() {
        List<NodeState> n = nodes(NodeRole.PERFORMANCE_STANDBY, NodeRole.STANDBY, NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY);

        Map<Integer, Integer> picks = picks(vaultAware(n, true), READ, null);

        assertThat(picks).as("a plain standby only forwards: no reads while the active node is usable")
                .containsOnlyKeys(0, 2, 3);
        assertThat(picks.values()).allSatisfy(c -> assertThat(c).isGreaterThan(PICKS / 6));
    }

    @Test
    void usesTheForwardingTierWhenNoActiveNodeIsUsable() {
        List<NodeState> noActive = nodes(NodeRole.SEALED, NodeRole.STANDBY, NodeRole.PERFORMANCE_STANDBY, NodeRole.UNREACHABLE);
        assertThat(picks(vaultAware(noActive, false), WRITE, null)).containsOnlyKeys(1, 2);
        assertThat(picks(vaultAware(noActive, false), READ, null)).containsOnlyKeys(1, 2);

        List<NodeState> activeOpen = nodes(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);
        activeOpen.get(0).breaker.forceOpen();
        assertThat(picks(vaultAware(activeOpen, false), WRITE, null)).containsOnlyKeys(1, 2);
    }

    @Test
    void nodesNotProbedYetAreUsable() {
        List<NodeState> n = nodes(NodeRole.UNKNOWN, NodeRole.UNKNOWN, NodeRole.UNKNOWN);

        assertThat(picks(vaultAware(n, false), WRITE, null)).containsOnlyKeys(0, 1, 2);
    }

    @Test
    void skipsDrainingOpenSealedAndForeignNodes() {
        List<NodeState> n = nodes(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY, NodeRole.PERFORMANCE_STANDBY, NodeRole.STANDBY);
        n.get(0).draining = true;
        n.get(1).breaker.forceOpen();
        n.get(2).foreign = true;

        assertThat(picks(vaultAware(n, true), READ, null)).containsOnlyKeys(3);

        n.get(3).role = NodeRole.SEALED;
        assertThat(picks(vaultAware(n, true), READ, null)).containsOnlyKeys(-1);
    }

    @Test
    void skipsNodesInEveryRoleThatDoesNotServe() {
        for (NodeRole role : NodeRole.values()) {
            List<NodeState> n = nodes(role);
            NodeState chosen = new Balancer(n, BalancingStrategy.LEAST_PENDING, true).choose(READ, null);
            assertThat(chosen != null).as("%s chosen", role).isEqualTo(role.isServing());
        }
    }

    @Test
    void powerOfTwoChoicesPrefersTheLessLoadedNode() {
        List<NodeState> two = nodes(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY);
        two.get(0).inFlight.set(3);
        assertThat(picks(vaultAware(two, true), READ, null)).containsOnlyKeys(1);
        two.get(1).waiting.set(5);
        assertThat(picks(vaultAware(two, true), READ, null)).containsOnlyKeys(0);

        List<NodeState> three = nodes(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY, NodeRole.PERFORMANCE_STANDBY);
        three.get(0).inFlight.set(9);
        three.get(1).inFlight.set(5);
        Map<Integer, Integer> picks = picks(vaultAware(three, true), READ, null);
        assertThat(picks).as("the most loaded of three is never the less loaded of two").doesNotContainKey(0);
        assertThat(picks.get(2)).as("the least loaded wins whenever it is one of the two").isGreaterThan(PICKS / 2);
    }

    @Test
    void avoidsNodesTheRequestAlreadyTriedWhileAnotherIsUsable() {
        List<NodeState> n = nodes(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY);
        NodeSet tried = new NodeSet();
        tried.add(n.get(0));

        assertThat(picks(vaultAware(n, false), READ, tried)).containsOnlyKeys(1, 2);

        tried.add(n.get(1));
        tried.add(n.get(2));
        assertThat(picks(vaultAware(n, false), READ, tried)).as("all tried: the best again").containsOnlyKeys(0);
    }

    @Test
    void roundRobinTakesEveryServingNodeInTurnIgnoringRoles() {
        List<NodeState> n = nodes(NodeRole.STANDBY, NodeRole.ACTIVE, NodeRole.SEALED, NodeRole.PERFORMANCE_STANDBY);
        Balancer b = new Balancer(n, BalancingStrategy.ROUND_ROBIN, false);

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            order.add(b.choose(WRITE, null).index);
        }

        assertThat(order.subList(0, 3)).containsExactlyInAnyOrder(0, 1, 3);
        for (int i = 3; i < order.size(); i++) {
            assertThat(order.get(i)).as("turn %d", i).isEqualTo(order.get(i - 3));
        }
        // even turns: the node after the sealed one does not take the sealed node's turns too
        assertThat(order.stream().filter(i -> i == 3).count()).isEqualTo(100);
    }

    @Test
    void leastPendingPicksTheServingNodeWithFewestRequestsInFlight() {
        List<NodeState> n = nodes(NodeRole.ACTIVE, NodeRole.STANDBY, NodeRole.STANDBY, NodeRole.STANDBY);
        n.get(0).inFlight.set(4);
        n.get(1).inFlight.set(4);
        n.get(2).inFlight.set(1);
        n.get(3).inFlight.set(4);
        Balancer b = new Balancer(n, BalancingStrategy.LEAST_PENDING, false);

        assertThat(picks(b, WRITE, null)).containsOnlyKeys(2);

        n.get(2).breaker.forceOpen();
        n.get(3).inFlight.set(0);
        assertThat(picks(b, READ, null)).containsOnlyKeys(3);
    }

    @Test
    void nodeUrisComeFromTheConfiguration() {
        assertThat(nodes(NodeRole.ACTIVE).get(0).uri()).isEqualTo(URI.create("http://127.0.0.1:8201"));
    }

    @Test
    void fallsBackToNodesWhoseProbesOnlyTimedOutWhenNothingElseCanServe() {
        List<NodeState> n = nodes(NodeRole.UNREACHABLE, NodeRole.UNREACHABLE, NodeRole.SEALED, NodeRole.UNREACHABLE);
        n.get(0).softUnreachable = true;          // probes timed out: a last resort
        n.get(1).softUnreachable = true;
        n.get(1).breaker.forceOpen();              // ... but its requests failed too
        n.get(3).softUnreachable = false;          // connection refused: down for sure

        assertThat(picks(vaultAware(n, false), READ, null)).containsOnlyKeys(0);
        assertThat(picks(vaultAware(n, false), WRITE, null)).containsOnlyKeys(0);
    }

    @Test
    void neverFallsBackWhileAUsableNodeExists() {
        List<NodeState> n = nodes(NodeRole.UNREACHABLE, NodeRole.STANDBY, NodeRole.UNREACHABLE, NodeRole.SEALED);
        n.get(0).softUnreachable = true;

        assertThat(picks(vaultAware(n, false), READ, null)).containsOnlyKeys(1);
    }

    @Test
    void choosesNothingWhenEveryNodeIsProvablyDown() {
        List<NodeState> n = nodes(NodeRole.UNREACHABLE, NodeRole.UNREACHABLE, NodeRole.SEALED, NodeRole.REMOVED);

        assertThat(picks(vaultAware(n, false), READ, null)).containsOnlyKeys(-1);
    }
}
