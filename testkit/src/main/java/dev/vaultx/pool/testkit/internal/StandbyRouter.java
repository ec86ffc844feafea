package dev.vaultx.pool.testkit.internal;

import dev.vaultx.pool.NodeRole;
import java.net.URI;
import java.util.Optional;

/**
 * Decides what a node does with an API request given its role (Vault's {@code handleRequestForwarding}):
 * the active node serves; a standby forwards transparently (serves from the shared data) or, in
 * redirect mode or when the client sends {@code X-Vault-No-Request-Forwarding}, answers 307 to the
 * active node; a performance standby serves reads itself; sealed, uninitialized and removed nodes
 * answer 503; a DR secondary answers 400. Forwarding is simulated and always succeeds while some node
 * has the ACTIVE role, even if that node is stopped or faulty (its faults apply to its own HTTP
 * listener only). Stateless; thread-safe.
 */
public final class StandbyRouter {

    private final LogicalBackend backend = new LogicalBackend();

    /**
     * Routes a request.
     *
     * @param req the request
     * @param node the node that received it
     * @return the response
     */
    public SimResponse route(SimRequest req, NodeState node) {
        ClusterState cluster = node.cluster();
        NodeRole role = node.role();
        switch (role) {
            case UNINITIALIZED:
                return SimResponse.error(503, "Vault is not initialized");
            case SEALED:
            case REMOVED:
                return SimResponse.error(503, "Vault is sealed");
            case DR_SECONDARY:
                return SimResponse.error(400, "path disabled in replication DR secondary mode");
            case PERFORMANCE_STANDBY:
                if (req.isRead()) {
                    return backend.serve(req, cluster);
                }
                return viaActive(req, cluster, !cluster.settings().redirectStandbys());
            case HA_UNHEALTHY:
                // Forwarding over the cluster port fails; Vault falls back to a redirect.
                return viaActive(req, cluster, false);
            case STANDBY:
                String noForward = req.header("X-Vault-No-Request-Forwarding");
                boolean forward = !cluster.settings().redirectStandbys() && (noForward == null || noForward.isEmpty());
                return viaActive(req, cluster, forward);
            default:
                return backend.serve(req, cluster);
        }
    }

    private SimResponse viaActive(SimRequest req, ClusterState cluster, boolean forward) {
        Optional<NodeState> active = cluster.active();
        if (active.isEmpty() || active.get().uri() == null) {
            return SimResponse.error(503, "no active Vault instance found");
        }
        if (forward) {
            return backend.serve(req, cluster);
        }
        return SimResponse.redirect(URI.create(active.get().uri() + req.pathAndQuery()));
    }
}
