package dev.vaultx.pool.testkit.internal;

import dev.vaultx.pool.NodeRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the unauthenticated {@code sys/} paths that every node serves itself, never forwarded:
 * {@code GET /v1/sys/leader} and {@code GET /v1/sys/seal-status}. Stateless; thread-safe.
 */
public final class LocalSysResponder {

    /** Path of the leader endpoint. */
    public static final String LEADER = "/v1/sys/leader";
    /** Path of the seal-status endpoint. */
    public static final String SEAL_STATUS = "/v1/sys/seal-status";

    /**
     * Whether this responder owns a path.
     *
     * @param path the request path
     * @return {@code true} for the leader and seal-status paths
     */
    public boolean handles(String path) {
        return path.equals(LEADER) || path.equals(SEAL_STATUS);
    }

    /**
     * Answers a request for one of the owned paths.
     *
     * @param req the request
     * @param node the node answering
     * @return the response
     */
    public SimResponse respond(SimRequest req, NodeState node) {
        if (!req.method().equals("GET")) {
            return SimResponse.error(405);
        }
        return req.path().equals(LEADER) ? leader(node) : sealStatus(node);
    }

    private static boolean sealed(NodeRole role) {
        return role == NodeRole.SEALED || role == NodeRole.UNINITIALIZED || role == NodeRole.REMOVED;
    }

    private static SimResponse leader(NodeState node) {
        NodeRole role = node.role();
        if (sealed(role)) {
            return SimResponse.error(503, "Vault is sealed");
        }
        Optional<NodeState> active = node.cluster().active();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ha_enabled", true);
        body.put("is_self", role == NodeRole.ACTIVE);
        body.put("active_time", "0001-01-01T00:00:00Z");
        body.put("leader_address", active.map(a -> String.valueOf(a.uri())).orElse(""));
        body.put("leader_cluster_address", "");
        body.put("performance_standby", role == NodeRole.PERFORMANCE_STANDBY);
        body.put("performance_standby_last_remote_wal", 0);
        return SimResponse.json(200, Json.write(body));
    }

    private static SimResponse sealStatus(NodeState node) {
        NodeRole role = node.role();
        ClusterSettings settings = node.cluster().settings();
        boolean sealed = sealed(role);
        boolean initialized = role != NodeRole.UNINITIALIZED;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "shamir");
        body.put("initialized", initialized);
        body.put("sealed", sealed);
        body.put("t", initialized ? 1 : 0);
        body.put("n", initialized ? 1 : 0);
        body.put("progress", 0);
        body.put("nonce", "");
        body.put("version", settings.version());
        body.put("migration", false);
        if (!sealed) {
            body.put("cluster_name", settings.clusterName());
            body.put("cluster_id", settings.clusterId());
        }
        body.put("recovery_seal", false);
        body.put("storage_type", "raft");
        return SimResponse.json(200, Json.write(body));
    }
}
