package dev.vaultx.pool.impl.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of a node's last health probe. Immutable.
 *
 * @param lastCheck when the probe completed, or {@code null} before the first
 * @param latency the probe's round trip, or {@code null}
 * @param consecutiveFailures probes that failed in a row
 * @param lastError the last failure without secrets, or {@code null}
 * @param clusterId the reported {@code cluster_id}, or {@code null}
 * @param version the reported version, or {@code null}
 */
record HealthSnapshot(Instant lastCheck, Duration latency, int consecutiveFailures, String lastError,
                      String clusterId, String version) {

    static final HealthSnapshot NONE = new HealthSnapshot(null, null, 0, null, null, null);
}
