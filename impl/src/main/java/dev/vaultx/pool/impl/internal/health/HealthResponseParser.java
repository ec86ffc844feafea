package dev.vaultx.pool.impl.internal.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vaultx.pool.NodeRole;

import java.io.IOException;

/**
 * Classifies answers of {@code GET /v1/sys/health} (sent with {@link #QUERY}) into
 * {@link NodeRole}s. Stateless; this class is thread-safe.
 *
 * <p>The JSON body is the truth: when it is a health body (an object with a boolean
 * {@code initialized}) the role comes from it, whatever the status code, in the order of the
 * server's own {@code switch}: not initialized, removed from the cluster, sealed, HA connection
 * unhealthy, DR secondary, performance standby, standby, otherwise active. Only when the body is
 * missing (e.g. {@code HEAD}) or unusable does the status code decide, using Vault's default codes
 * (200, 429, 472, 473, 474, 501, 503, 530). {@link #parse} never throws.
 */
public final class HealthResponseParser {

    /**
     * The query string to append to {@code /v1/sys/health}. Like Vault's Go client
     * ({@code api/sys_health.go}) it remaps every non-active state to {@code 299}, so that no
     * state, including codes added in later versions (472, 473, 474, 530), looks like an HTTP
     * error to the transport, and the role is then read from the body. {@code activecode} stays at
     * its default {@code 200}. OpenBao ignores the parameters it does not know and answers their
     * default codes, which {@link #parse} also accepts. Since every non-active state answers
     * {@code 299}, a {@code HEAD} probe with this query can only recognise the active node.
     */
    public static final String QUERY = "uninitcode=299&sealedcode=299&standbycode=299&drsecondarycode=299"
            + "&performancestandbycode=299&removedcode=299&haunhealthycode=299";

    /** Bodies larger than this are not parsed (a real health body is well under 2 KiB). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    static final String INVALID_JSON = "invalid JSON from /v1/sys/health";
    static final String NOT_HEALTH = "no 'initialized' field in /v1/sys/health body";
    static final String TOO_LARGE = "/v1/sys/health body larger than " + MAX_BODY_BYTES + " bytes";

    /** Shared and thread-safe. No field-name interning: names come from an untrusted server. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private HealthResponseParser() {
    }

    /**
     * Classifies one health answer.
     *
     * @param status the HTTP status code
     * @param body the response body, or {@code null} / empty when there was none
     * @return the classification, never {@code null}; {@link NodeRole#UNREACHABLE} with an error
     *         message when the answer cannot be understood
     */
    public static HealthProbeResult parse(int status, byte[] body) {
        if (body == null || body.length == 0) {
            return byStatus(status, null);
        }
        if (body.length > MAX_BODY_BYTES) {
            return byStatus(status, TOO_LARGE);
        }
        try {
            return fromBody(status, body);
        } catch (IOException | RuntimeException e) {
            // Jackson's messages may quote the input: never pass them on.
            return byStatus(status, INVALID_JSON);
        }
    }

    private static HealthProbeResult fromBody(int status, byte[] body) throws IOException {
        Boolean initialized = null;
        Boolean removed = null;
        Boolean sealed = null;
        Boolean haHealthy = null;
        Boolean perfStandby = null;
        Boolean standby = null;
        String drMode = null;
        String clusterId = null;
        String clusterName = null;
        String version = null;
        Long serverTime = null;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return byStatus(status, null); // whitespace only: same as no body
            }
            if (t != JsonToken.START_OBJECT) {
                return byStatus(status, INVALID_JSON);
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                switch (name) {
                    case "initialized" -> initialized = bool(t);
                    case "removed_from_cluster" -> removed = bool(t);
                    case "sealed" -> sealed = bool(t);
                    case "ha_connection_healthy" -> haHealthy = bool(t);
                    case "performance_standby" -> perfStandby = bool(t);
                    case "standby" -> standby = bool(t);
                    case "replication_dr_mode" -> drMode = text(p, t);
                    case "cluster_id" -> clusterId = text(p, t);
                    case "cluster_name" -> clusterName = text(p, t);
                    case "version" -> version = text(p, t);
                    case "server_time_utc" -> serverTime = longValue(p, t);
                    default -> { } // unknown field
                }
                p.skipChildren(); // no-op for scalars; skips nested objects/arrays such as "license"
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return byStatus(status, INVALID_JSON); // trailing content after the object
            }
        }
        if (initialized == null) {
            return byStatus(status, NOT_HEALTH); // e.g. {"errors":[...]} from a 500
        }
        NodeRole role;
        if (!initialized) {
            role = NodeRole.UNINITIALIZED;
        } else if (Boolean.TRUE.equals(removed)) {
            role = NodeRole.REMOVED;
        } else if (Boolean.TRUE.equals(sealed)) {
            role = NodeRole.SEALED;
        } else if (Boolean.FALSE.equals(haHealthy)) {
            // The server sends the field only once a standby has heartbeat data and answers 474
            // whenever it is false.
            role = NodeRole.HA_UNHEALTHY;
        } else if ("secondary".equals(drMode)) {
            role = NodeRole.DR_SECONDARY;
        } else if (Boolean.TRUE.equals(perfStandby)) {
            role = NodeRole.PERFORMANCE_STANDBY;
        } else if (Boolean.TRUE.equals(standby)) {
            role = NodeRole.STANDBY;
        } else {
            role = NodeRole.ACTIVE;
        }
        return new HealthProbeResult(role, clusterId, clusterName, version, serverTime, null);
    }

    /**
     * Classification by Vault's default status codes, for answers without a usable body.
     *
     * @param problem what was wrong with the body, or {@code null} when there was none
     */
    private static HealthProbeResult byStatus(int status, String problem) {
        NodeRole role = switch (status) {
            case 200 -> NodeRole.ACTIVE;
            case 429 -> NodeRole.STANDBY;
            case 472 -> NodeRole.DR_SECONDARY;
            case 473 -> NodeRole.PERFORMANCE_STANDBY;
            case 474 -> NodeRole.HA_UNHEALTHY;
            case 501 -> NodeRole.UNINITIALIZED;
            case 503 -> NodeRole.SEALED;
            case 530 -> NodeRole.REMOVED;
            default -> null;
        };
        boolean success = status >= 200 && status <= 299;
        if (role != null && !(success && problem != null)) {
            return new HealthProbeResult(role, null, null, null, null, problem);
        }
        if (!success) {
            return HealthProbeResult.unreachable("unexpected health status " + status);
        }
        // A 2xx must carry a readable health body; 299 in particular is only ever a remapped state.
        return HealthProbeResult.unreachable(problem != null ? problem : "health answered " + status + " without a body");
    }

    private static Boolean bool(JsonToken t) {
        return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        return s.isEmpty() ? null : s;
    }

    private static Long longValue(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            return null;
        }
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? p.getLongValue() : null;
    }
}
