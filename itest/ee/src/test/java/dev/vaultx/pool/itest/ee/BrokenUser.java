package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application bean of a WAR whose pool has an invalid {@code size}: the deployment must fail. */
@ApplicationScoped
public class BrokenUser {

    @Inject
    @VaultPool(RedeployScenario.BROKEN_POOL)
    ConnectionPool pool;
}
