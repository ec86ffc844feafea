package dev.vaultx.pool.jmx;

import java.util.List;
import javax.management.ObjectName;

/**
 * The MBeans of one pool in one {@link javax.management.MBeanServer}, as returned by
 * {@link PoolMBeans#register(dev.vaultx.pool.ConnectionPool)}.
 *
 * <p>{@link #close()} unregisters every MBean and removes the pool listener that fed the
 * notifications; closing the pool does the same. This interface is thread-safe.
 */
public interface Registration extends AutoCloseable {

    /** @return the pool's MBean name followed by one name per node, in configuration order */
    List<ObjectName> objectNames();

    /** @return {@code true} once the MBeans were unregistered, by {@link #close()} or by closing the pool */
    boolean isClosed();

    /**
     * Unregisters every MBean of this registration (names someone else already unregistered are
     * skipped) and stops the notifications. Idempotent; never throws.
     */
    @Override
    void close();
}
