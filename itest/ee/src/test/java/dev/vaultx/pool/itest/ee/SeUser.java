package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application bean of {@link WeldSeIT}. */
@ApplicationScoped
public class SeUser {

    @Inject
    @VaultPool(WeldSeIT.POOL)
    ConnectionPool pool;

    public ConnectionPool pool() {
        return pool;
    }
}
