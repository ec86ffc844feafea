package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application bean of {@link ServerJConsoleIT}. */
@ApplicationScoped
public class JConsoleUser {

    @Inject
    @VaultPool(ServerJConsoleIT.POOL)
    ConnectionPool pool;
}
