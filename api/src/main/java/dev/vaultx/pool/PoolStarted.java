package dev.vaultx.pool;

import java.util.Objects;

/**
 * A CDI event: a pool was started by the container (at application startup, or at its first use when
 * {@code vaultx.pool.startup=lazy}). Fired with the pool's {@link VaultPool} qualifier, so
 * {@code void on(@Observes @VaultPool("payments") PoolStarted e)} sees one pool and
 * {@code void on(@Observes PoolStarted e)} sees all. The JMX module registers the pool's MBeans on
 * it; the pool unregisters them when it closes at shutdown.
 *
 * <p>Observers run on the thread that started the pool and must not close it: the container does.
 *
 * @param pool the started pool, open
 */
public record PoolStarted(ConnectionPool pool) {

    /**
     * @param pool the started pool
     */
    public PoolStarted {
        Objects.requireNonNull(pool, "pool");
    }

    /** @return the pool's name */
    public String name() {
        return pool.name();
    }
}
