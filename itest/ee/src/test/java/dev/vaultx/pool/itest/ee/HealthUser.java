package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application of {@link LibertyHealthIT}: it injects the pool {@code health}, which gets a readiness check. */
@ApplicationScoped
public class HealthUser {

    @Inject
    @VaultPool("health")
    ConnectionPool pool;

    /** @return the pool */
    public ConnectionPool pool() {
        return pool;
    }
}
