package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application bean of the WAR that {@link RedeployScenario} deploys, undeploys and deploys again. */
@ApplicationScoped
public class RedeployUser {

    @Inject
    @VaultPool(RedeployScenario.POOL)
    ConnectionPool pool;
}
