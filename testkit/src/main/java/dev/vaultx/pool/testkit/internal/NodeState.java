package dev.vaultx.pool.testkit.internal;

import dev.vaultx.pool.NodeRole;
import java.net.URI;

/**
 * The mutable state of one simulated node: its role, injected faults, journal and address. Role
 * changes go through {@link ClusterState} so that at most one node is active. Thread-safe.
 */
public final class NodeState {

    private final int index;
    private final ClusterState cluster;
    private final FaultPlan faults = new FaultPlan();
    private final RequestJournal journal;
    private volatile NodeRole role;
    private volatile URI uri;

    NodeState(int index, ClusterState cluster, NodeRole role) {
        this.index = index;
        this.cluster = cluster;
        this.role = role;
        this.journal = new RequestJournal(cluster.settings().journal(), cluster.settings().journalLimit());
    }

    /** @return the position of the node in its cluster, from 0 */
    public int index() {
        return index;
    }

    /** @return the cluster this node belongs to */
    public ClusterState cluster() {
        return cluster;
    }

    /** @return the role the node plays now */
    public NodeRole role() {
        return role;
    }

    void role(NodeRole newRole) {
        this.role = newRole;
    }

    /** @return the injected faults */
    public FaultPlan faults() {
        return faults;
    }

    /** @return the request journal */
    public RequestJournal journal() {
        return journal;
    }

    /** @return the base URI {@code http://127.0.0.1:PORT}, or {@code null} before the first start */
    public URI uri() {
        return uri;
    }

    /**
     * Sets the base URI once the port is known.
     *
     * @param uri the base URI
     */
    public void uri(URI uri) {
        this.uri = uri;
    }

    @Override
    public String toString() {
        return "node" + index + "[" + role + " " + uri + "]";
    }
}
