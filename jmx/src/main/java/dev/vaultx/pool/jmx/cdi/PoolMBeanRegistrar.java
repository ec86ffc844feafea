package dev.vaultx.pool.jmx.cdi;

import dev.vaultx.pool.PoolStarted;
import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.Registration;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the MBeans of every pool the container starts ({@link PoolStarted}, fired by the CDI
 * integration of {@code vaultx-pool-impl}) in the platform MBeanServer, as
 * {@code dev.vaultx:type=ConnectionPool,name="<pool>"} and one {@code ...,node=<host_port>} per node.
 *
 * <p>They are unregistered when the pool closes at shutdown, and at the latest when this bean is
 * destroyed with the application, so an undeployed application leaves no MBean behind and its
 * redeployment registers the same names again. A name already taken in the MBeanServer (another
 * application with a pool of the same name) is logged as a warning; the pool works, without MBeans.
 *
 * <p>Discovered through the module's {@code META-INF/beans.xml}; it depends on the api only.
 */
@ApplicationScoped
public class PoolMBeanRegistrar {

    private static final System.Logger LOG = System.getLogger(PoolMBeanRegistrar.class.getName());

    private final List<Registration> registrations = new ArrayList<>();

    void register(@Observes PoolStarted event) {
        Registration registration;
        try {
            registration = PoolMBeans.register(event.pool(), ManagementFactory.getPlatformMBeanServer());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "vaultx-pool: no MBeans for the pool '" + event.name() + "': " + e.getMessage(), e);
            return;
        }
        synchronized (registrations) {
            registrations.add(registration);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "vaultx-pool: registered " + registration.objectNames());
    }

    @PreDestroy
    void unregisterAll() {
        List<Registration> all;
        synchronized (registrations) {
            all = new ArrayList<>(registrations);
            registrations.clear();
        }
        all.forEach(Registration::close);
    }
}
