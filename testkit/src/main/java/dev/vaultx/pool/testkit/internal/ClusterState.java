package dev.vaultx.pool.testkit.internal;

import dev.vaultx.pool.NodeRole;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the nodes of one simulated cluster share: settings, KV data, the node list and the leader
 * election rules (at most one active node). Thread-safe; role changes are serialised.
 */
public final class ClusterState {

    private final ClusterSettings settings;
    private final KvStore kv = new KvStore();
    private final List<NodeState> nodes = new CopyOnWriteArrayList<>();
    private final AtomicLong walIndex = new AtomicLong();
    /** The key of the {@code X-Vault-Index} HMAC. */
    private final byte[] indexKey = new byte[32];
    private final Object roleLock = new Object();

    /**
     * Creates an empty cluster.
     *
     * @param settings the options
     */
    public ClusterState(ClusterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        new SecureRandom().nextBytes(indexKey);
    }

    /** @return the options */
    public ClusterSettings settings() {
        return settings;
    }

    /** @return the shared KV data */
    public KvStore kv() {
        return kv;
    }

    /** @return a snapshot of the nodes, in index order */
    public List<NodeState> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * Adds a node.
     *
     * @param role the initial role
     * @return the node
     */
    public NodeState addNode(NodeRole role) {
        checkSettable(role);
        synchronized (roleLock) {
            if (role == NodeRole.ACTIVE && active().isPresent()) {
                throw new IllegalArgumentException("the cluster already has an active node");
            }
            NodeState node = new NodeState(nodes.size(), this, role);
            nodes.add(node);
            return node;
        }
    }

    /** @return the node whose role is {@link NodeRole#ACTIVE}, if any */
    public Optional<NodeState> active() {
        for (NodeState n : nodes) {
            if (n.role() == NodeRole.ACTIVE) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /**
     * Changes a node's role. Making a node {@link NodeRole#ACTIVE} turns the previous active node into a
     * {@link NodeRole#STANDBY}.
     *
     * @param node the node
     * @param role the new role; not {@link NodeRole#UNKNOWN} or {@link NodeRole#UNREACHABLE}
     */
    public void changeRole(NodeState node, NodeRole role) {
        checkSettable(role);
        synchronized (roleLock) {
            if (role == NodeRole.ACTIVE) {
                for (NodeState other : nodes) {
                    if (other != node && other.role() == NodeRole.ACTIVE) {
                        other.role(NodeRole.STANDBY);
                    }
                }
            }
            node.role(role);
        }
    }

    /** The active node, if any, becomes a standby; the cluster then has no active node. */
    public void stepDown() {
        synchronized (roleLock) {
            active().ifPresent(n -> n.role(NodeRole.STANDBY));
        }
    }

    /**
     * The next {@code X-Vault-Index} value, growing with every write, in Vault's format: standard base64 of
     * {@code v1:<clusterId>:<localIndex>:<replicatedIndex>:<hmac>}, the HMAC-SHA256 of the part before it in hex
     * (what {@code ParseReplicationState} in Vault's Go client {@code api/client.go} parses), with a key of this
     * cluster's.
     *
     * @return the header value
     */
    public String nextIndex() {
        String state = "v1:" + settings.clusterId() + ":" + walIndex.incrementAndGet() + ":0";
        String hmac;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(indexKey, "HmacSHA256"));
            hmac = HexFormat.of().formatHex(mac.doFinal(state.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        return Base64.getEncoder().encodeToString((state + ":" + hmac).getBytes(StandardCharsets.UTF_8));
    }

    private static void checkSettable(NodeRole role) {
        Objects.requireNonNull(role, "role");
        if (role == NodeRole.UNKNOWN || role == NodeRole.UNREACHABLE) {
            throw new IllegalArgumentException(role + " is what a client concludes, not a role a node can play;"
                    + " use stop() or blackhole() to make a node unreachable");
        }
    }
}
