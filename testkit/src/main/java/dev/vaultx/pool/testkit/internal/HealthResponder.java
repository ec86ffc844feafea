package dev.vaultx.pool.testkit.internal;

import dev.vaultx.pool.NodeRole;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Answers {@code GET|HEAD /v1/sys/health} for one node the way Vault does: the status of the first
 * matching row (uninitialized, removed, sealed, HA-unhealthy, DR secondary, performance standby,
 * standby, active), the override query parameters, and the JSON body. In OpenBao mode only
 * {@code standbyok, activecode, standbycode, sealedcode, uninitcode} are honoured. Stateless;
 * thread-safe.
 */
public final class HealthResponder {

    private static final Set<NodeRole> SEALED_ROLES = Set.of(NodeRole.SEALED, NodeRole.UNINITIALIZED, NodeRole.REMOVED);
    private static final Set<NodeRole> STANDBY_ROLES = Set.of(NodeRole.STANDBY, NodeRole.PERFORMANCE_STANDBY,
            NodeRole.HA_UNHEALTHY);

    /** Thrown for a bad override parameter; Vault answers 400. */
    private static final class BadParameter extends Exception {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Answers a health request.
     *
     * @param req the request (path {@code /v1/sys/health})
     * @param node the node answering
     * @return the response
     */
    public SimResponse respond(SimRequest req, NodeState node) {
        boolean head = req.method().equals("HEAD");
        if (!head && !req.method().equals("GET")) {
            return SimResponse.error(405);
        }
        ClusterSettings settings = node.cluster().settings();
        NodeRole role = node.role();
        int status;
        try {
            status = settings.openBao() ? openBaoStatus(req, role) : vaultStatus(req, role);
        } catch (BadParameter e) {
            SimResponse bad = e.getMessage() == null ? SimResponse.error(400) : SimResponse.error(400, e.getMessage());
            return head ? new SimResponse(400, Map.of("Cache-Control", "no-store"), null, TransportFault.NONE, 0) : bad;
        }
        SimResponse ok = SimResponse.json(status, Json.write(body(role, settings)));
        if (head) {
            return ok.withoutBody();
        }
        String override = node.faults().healthBody();
        return override == null ? ok : ok.withBody(override);
    }

    private static int vaultStatus(SimRequest req, NodeRole role) throws BadParameter {
        boolean standbyOk = bool(req, "standbyok");
        boolean perfStandbyOk = bool(req, "perfstandbyok");
        int uninit = code(req, "uninitcode", 501);
        int sealed = code(req, "sealedcode", 503);
        int standby = code(req, "standbycode", 429);
        int active = code(req, "activecode", 200);
        int drSecondary = code(req, "drsecondarycode", 472);
        int perfStandby = code(req, "performancestandbycode", 473);
        int removed = code(req, "removedcode", 530);
        int haUnhealthy = code(req, "haunhealthycode", 474);
        switch (role) {
            case UNINITIALIZED:
                return uninit;
            case REMOVED:
                return removed;
            case SEALED:
                return sealed;
            case HA_UNHEALTHY:
                return haUnhealthy;
            case DR_SECONDARY:
                return drSecondary;
            case PERFORMANCE_STANDBY:
                return perfStandbyOk ? active : perfStandby;
            case STANDBY:
                return standbyOk ? active : standby;
            default:
                return active;
        }
    }

    private static int openBaoStatus(SimRequest req, NodeRole role) throws BadParameter {
        boolean standbyOk = bool(req, "standbyok");
        int uninit = code(req, "uninitcode", 501);
        int sealed = code(req, "sealedcode", 503);
        int standby = code(req, "standbycode", 429);
        int active = code(req, "activecode", 200);
        if (role == NodeRole.UNINITIALIZED) {
            return uninit;
        }
        if (SEALED_ROLES.contains(role) || role == NodeRole.DR_SECONDARY) {
            return sealed;
        }
        if (STANDBY_ROLES.contains(role)) {
            return standbyOk ? active : standby;
        }
        return active;
    }

    private static int code(SimRequest req, String name, int defaultCode) throws BadParameter {
        String value = req.queryParam(name);
        if (value == null) {
            return defaultCode;
        }
        int code;
        try {
            code = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadParameter(null);
        }
        if (code < 100 || code > 999) {
            // Real Vault panics in WriteHeader and drops the connection; a 400 is easier to test.
            throw new BadParameter(null);
        }
        return code;
    }

    private static boolean bool(SimRequest req, String name) throws BadParameter {
        String value = req.queryParam(name);
        if (value == null) {
            return false;
        }
        switch (value) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return false;
            default:
                throw new BadParameter("bad value for " + name + " parameter: strconv.ParseBool: parsing \""
                        + value + "\": invalid syntax");
        }
    }

    private static Map<String, Object> body(NodeRole role, ClusterSettings settings) {
        boolean sealed = SEALED_ROLES.contains(role);
        boolean standby = sealed || STANDBY_ROLES.contains(role);
        String replication = sealed ? "unknown" : "disabled";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initialized", role != NodeRole.UNINITIALIZED);
        body.put("sealed", sealed);
        body.put("standby", standby);
        body.put("performance_standby", role == NodeRole.PERFORMANCE_STANDBY);
        body.put("replication_performance_mode", replication);
        body.put("replication_dr_mode", role == NodeRole.DR_SECONDARY ? "secondary" : replication);
        body.put("server_time_utc", Instant.now().getEpochSecond());
        body.put("version", settings.version());
        if (!settings.openBao()) {
            body.put("enterprise", settings.version().contains("+ent"));
        }
        if (!sealed) {
            body.put("cluster_name", settings.clusterName());
            body.put("cluster_id", settings.clusterId());
        }
        if (settings.openBao()) {
            return body;
        }
        if (role != NodeRole.UNINITIALIZED) {
            body.put("removed_from_cluster", role == NodeRole.REMOVED);
        }
        if (STANDBY_ROLES.contains(role)) {
            boolean healthy = role != NodeRole.HA_UNHEALTHY;
            body.put("ha_connection_healthy", healthy);
            body.put("last_request_forwarding_heartbeat_ms", healthy ? 2 : 15_000);
        }
        return body;
    }
}
