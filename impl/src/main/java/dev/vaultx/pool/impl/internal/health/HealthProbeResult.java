package dev.vaultx.pool.impl.internal.health;

import dev.vaultx.pool.NodeRole;

import java.util.Objects;

/**
 * What one {@code /v1/sys/health} answer says about a node. Immutable; this class is thread-safe.
 *
 * <p>{@code error} describes why the answer could not be read completely. It is set when the role
 * is {@link NodeRole#UNREACHABLE}, and also when the role was taken from the status code because
 * the body was unusable (for example {@code 503} with an HTML body from a proxy). It never
 * contains any part of the response body.
 *
 * @param role the classified role, never {@code null}
 * @param clusterId the reported {@code cluster_id}, or {@code null} (Vault omits it while sealed)
 * @param clusterName the reported {@code cluster_name}, or {@code null}
 * @param version the reported {@code version}, or {@code null} (may be redacted)
 * @param serverTimeUtc the reported {@code server_time_utc} in Unix seconds, or {@code null}
 * @param error a short description of what was wrong with the answer, or {@code null}
 */
public record HealthProbeResult(NodeRole role, String clusterId, String clusterName, String version,
                                Long serverTimeUtc, String error) {

    /**
     * Validates the role.
     *
     * @throws NullPointerException if {@code role} is {@code null}
     */
    public HealthProbeResult {
        Objects.requireNonNull(role, "role");
    }

    /**
     * A result for a probe that got no usable answer.
     *
     * @param error why, without secrets or response content
     * @return an {@link NodeRole#UNREACHABLE} result with no cluster data
     */
    public static HealthProbeResult unreachable(String error) {
        return new HealthProbeResult(NodeRole.UNREACHABLE, null, null, null, null, error);
    }
}
