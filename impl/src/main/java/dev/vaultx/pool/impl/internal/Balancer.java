package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.VaultRequest;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the node for a request (see {@link BalancingStrategy}). Reads only volatile node state;
 * allocation-free on the hot path.
 *
 * <p>This class is thread-safe.
 */
final class Balancer {

    private final NodeState[] nodes;
    private final BalancingStrategy strategy;
    private final boolean readFromStandbys;
    private final AtomicInteger roundRobin = new AtomicInteger();

    Balancer(List<NodeState> nodes, BalancingStrategy strategy, boolean readFromStandbys) {
        this.nodes = nodes.toArray(new NodeState[0]);
        this.strategy = strategy;
        this.readFromStandbys = readFromStandbys;
    }

    /**
     * @param request the request (reads and writes are routed differently)
     * @param tried nodes already tried by this request, avoided while another candidate exists; may be {@code null}
     * @return the chosen node, or {@code null} if no node is usable
     */
    NodeState choose(VaultRequest request, NodeSet tried) {
        NodeState n = chooseExcluding(request != null && request.isRead(), tried);
        if (n == null && tried != null && !tried.isEmpty()) {
            n = chooseExcluding(request != null && request.isRead(), null);
        }
        return n != null ? n : lastResort();
    }

    private NodeState chooseExcluding(boolean read, NodeSet tried) {
        switch (strategy) {
            case ROUND_ROBIN:
                return roundRobin(tried);
            case LEAST_PENDING:
                return least(tried);
            default:
                NodeState n = best(read && readFromStandbys ? Tier.ACTIVE_OR_PERF_STANDBY : Tier.ACTIVE, tried);
                return n != null ? n : best(Tier.FORWARDING, tried);
        }
    }

    /**
     * Panic routing (as Envoy does): when no node is usable but some were taken out only because their
     * health probes timed out, send to the least loaded of those rather than fail every request; their
     * breakers still guard them.
     */
    private NodeState lastResort() {
        NodeState best = null;
        for (NodeState n : nodes) {
            if (n.isLastResort() && (best == null || n.load() < best.load())) {
                best = n;
            }
        }
        return best;
    }

    /**
     * The next of the usable nodes in turn. Counting over the usable nodes only (rather than starting at the
     * next configured one and skipping unusable ones) keeps the turns even: otherwise the node after a
     * down node would take its turns too.
     */
    private NodeState roundRobin(NodeSet tried) {
        // one pass over the nodes (a pool has at most 64): the usable ones as a bit mask
        long usable = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (eligible(nodes[i], tried)) {
                usable |= 1L << i;
            }
        }
        if (usable == 0) {
            return null;
        }
        int k = (roundRobin.getAndIncrement() & Integer.MAX_VALUE) % Long.bitCount(usable);
        for (int j = 0; j < k; j++) {
            usable &= usable - 1; // drop the lowest
        }
        return nodes[Long.numberOfTrailingZeros(usable)];
    }

    /** The usable node with the fewest requests waiting or in flight; ties broken at random. */
    private NodeState least(NodeSet tried) {
        NodeState best = null;
        int bestLoad = Integer.MAX_VALUE;
        int ties = 0;
        for (NodeState n : nodes) {
            if (!eligible(n, tried)) {
                continue;
            }
            int load = n.load();
            if (load < bestLoad) {
                best = n;
                bestLoad = load;
                ties = 1;
            } else if (load == bestLoad && ThreadLocalRandom.current().nextInt(++ties) == 0) {
                best = n;
            }
        }
        return best;
    }

    private static boolean eligible(NodeState n, NodeSet tried) {
        return n.isUsable() && (tried == null || !tried.contains(n));
    }

    /** Power of two choices among the tier's usable nodes: two random candidates, the less loaded wins. */
    private NodeState best(Tier tier, NodeSet tried) {
        NodeState first = null;
        NodeState second = null;
        int seen = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (NodeState n : nodes) {
            if (!tier.accepts(n.role()) || !n.isUsable() || (tried != null && tried.contains(n))) {
                continue;
            }
            seen++;
            // reservoir-sample two distinct candidates
            if (seen == 1) {
                first = n;
            } else if (seen == 2) {
                second = n;
            } else {
                int r = rnd.nextInt(seen);
                if (r == 0) {
                    first = n;
                } else if (r == 1) {
                    second = n;
                }
            }
        }
        if (second == null) {
            return first;
        }
        int a = first.load();
        int b = second.load();
        if (a == b) {
            return rnd.nextBoolean() ? first : second;
        }
        return a < b ? first : second;
    }

    private enum Tier {
        ACTIVE, ACTIVE_OR_PERF_STANDBY, FORWARDING, ANY;

        boolean accepts(NodeRole role) {
            switch (this) {
                case ACTIVE:
                    return role == NodeRole.ACTIVE;
                case ACTIVE_OR_PERF_STANDBY:
                    return role == NodeRole.ACTIVE || role == NodeRole.PERFORMANCE_STANDBY;
                case FORWARDING:
                    return role == NodeRole.STANDBY || role == NodeRole.PERFORMANCE_STANDBY || role == NodeRole.UNKNOWN;
                default:
                    return true;
            }
        }
    }
}
