package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application bean of the test WAR: what a user writes. */
@ApplicationScoped
public class PoolUser {

    @Inject
    ConnectionPool pool;

    @Inject
    @VaultPool("payments")
    ConnectionPool payments;

    /** configured with {@code vaultx.pool.reports.startup=lazy} */
    @Inject
    @VaultPool("reports")
    ConnectionPool reports;

    // accessors, not fields: callers hold the client proxy of this bean, whose fields are not the bean's

    public ConnectionPool pool() {
        return pool;
    }

    public ConnectionPool payments() {
        return payments;
    }

    public ConnectionPool reports() {
        return reports;
    }

    public VaultResponse readSecret(ConnectionPool from) {
        return from.request(VaultRequest.get("/v1/secret/data/" + TestCluster.SECRET_PATH).token("itest-token").build());
    }
}
