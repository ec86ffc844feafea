package dev.vaultx.pool;

import java.net.URI;
import java.util.List;

/**
 * A point-in-time view of a pool's health. Immutable and thread-safe.
 *
 * @param poolName the pool's name
 * @param status {@link HealthStatus#UP} when an active node is usable and all nodes are healthy,
 *               {@link HealthStatus#DEGRADED} when requests can be served but something is wrong,
 *               {@link HealthStatus#DOWN} when nothing can serve
 * @param activeNode the node known to be active, or {@code null}
 * @param nodes per-node health, in configuration order
 */
public record PoolHealth(String poolName, HealthStatus status, URI activeNode, List<NodeHealth> nodes) {

    /** Copies the node list. */
    public PoolHealth {
        nodes = List.copyOf(nodes);
    }
}
