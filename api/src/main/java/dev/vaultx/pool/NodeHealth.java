package dev.vaultx.pool;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * What the pool knows of one node's health. Immutable and thread-safe.
 *
 * @param node the node's base URI
 * @param role the role from the last probe ({@link NodeRole#UNKNOWN} before the first)
 * @param circuitState the node's circuit breaker state
 * @param lastCheck when the last probe completed, or {@code null} before the first
 * @param lastLatency the last probe's round trip, or {@code null} before the first
 * @param consecutiveFailures probes or requests that failed in a row
 * @param lastError the last failure, without secrets, or {@code null}
 * @param clusterId the {@code cluster_id} the node reported, or {@code null}
 * @param version the server version the node reported, or {@code null}
 * @param draining {@code true} while the node is drained
 * @param usable {@code true} if the balancer may send this node requests now
 */
public record NodeHealth(URI node, NodeRole role, CircuitState circuitState, Instant lastCheck, Duration lastLatency,
                         int consecutiveFailures, String lastError, String clusterId, String version,
                         boolean draining, boolean usable) {
}
