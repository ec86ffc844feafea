package dev.vaultx.pool.mphealth;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolHealth;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The readiness of one pool: {@code UP} while the pool is {@link HealthStatus#UP} or
 * {@link HealthStatus#DEGRADED} (it can serve), {@code DOWN} when it is {@link HealthStatus#DOWN} or closed.
 * Named {@code vaultx-pool.<pool>}; its data: {@code status} (UP, DEGRADED, DOWN or CLOSED),
 * {@code activeNode} (a URL or {@code none}) and per node {@code <host:port>} as {@code ROLE/BREAKER}, e.g.
 * {@code ACTIVE/CLOSED}, {@code UNREACHABLE/OPEN}. No token or secret is part of it.
 *
 * <p>Reads {@link ConnectionPool#health()}, a cheap snapshot, on every call. This class is thread-safe.
 */
public final class PoolReadinessCheck implements HealthCheck {

    private final String name;
    private final ConnectionPool pool;

    /**
     * @param name the pool's name, as the CDI integration knows it
     * @param pool the pool (the container's client proxy is fine)
     */
    public PoolReadinessCheck(String name, ConnectionPool pool) {
        this.name = Objects.requireNonNull(name, "name");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = new LinkedHashMap<>();
        if (pool.isClosed()) {
            data.put("status", "CLOSED");
            return new HealthCheckResponse(checkName(), HealthCheckResponse.Status.DOWN, Optional.of(data));
        }
        PoolHealth health = pool.health();
        data.put("status", health.status().name());
        data.put("activeNode", health.activeNode() == null ? "none" : health.activeNode().toString());
        for (NodeHealth n : health.nodes()) {
            data.put(hostPort(n.node()), n.role().name() + "/" + n.circuitState().name());
        }
        HealthCheckResponse.Status status = health.status() == HealthStatus.DOWN ? HealthCheckResponse.Status.DOWN
                : HealthCheckResponse.Status.UP;
        return new HealthCheckResponse(checkName(), status, Optional.of(data));
    }

    /** @return {@code vaultx-pool.<pool>} */
    public String checkName() {
        return "vaultx-pool." + name;
    }

    private static String hostPort(URI node) {
        return node.getHost() + ":" + node.getPort();
    }

    @Override
    public String toString() {
        return "PoolReadinessCheck{" + name + "}";
    }
}
