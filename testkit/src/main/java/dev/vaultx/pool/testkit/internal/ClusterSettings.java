package dev.vaultx.pool.testkit.internal;

import java.util.Objects;

/**
 * The fixed options of one simulated cluster. Immutable.
 *
 * @param clusterId the {@code cluster_id} reported by unsealed nodes
 * @param clusterName the {@code cluster_name} reported by unsealed nodes
 * @param version the {@code version} reported by all nodes
 * @param redirectStandbys whether standbys answer 307 instead of forwarding
 * @param openBao whether nodes behave like OpenBao (fewer health parameters and fields)
 * @param token the only accepted client token, or {@code null} to accept any non-empty token
 * @param vaultIndex whether writes return an {@code X-Vault-Index} header
 * @param journal whether requests are recorded
 * @param journalLimit the most requests each node keeps
 * @param containerThreads Jetty's maximum thread count per node
 */
public record ClusterSettings(String clusterId, String clusterName, String version, boolean redirectStandbys,
                              boolean openBao, String token, boolean vaultIndex, boolean journal,
                              int journalLimit, int containerThreads) {

    /**
     * Validates the settings.
     *
     * @param clusterId the {@code cluster_id}
     * @param clusterName the {@code cluster_name}
     * @param version the {@code version}
     * @param redirectStandbys whether standbys redirect
     * @param openBao whether nodes behave like OpenBao
     * @param token the accepted token, or {@code null}
     * @param vaultIndex whether writes return {@code X-Vault-Index}
     * @param journal whether requests are recorded
     * @param journalLimit the most requests kept per node, at least 1
     * @param containerThreads Jetty's thread count per node, at least 10
     */
    public ClusterSettings {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(version, "version");
        if (journalLimit < 1) {
            throw new IllegalArgumentException("journalLimit must be >= 1: " + journalLimit);
        }
        if (containerThreads < 10) {
            throw new IllegalArgumentException("containerThreads must be >= 10: " + containerThreads);
        }
    }
}
