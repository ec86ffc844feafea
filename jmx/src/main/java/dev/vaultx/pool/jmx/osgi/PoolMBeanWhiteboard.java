package dev.vaultx.pool.jmx.osgi;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.Registration;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The JMX whiteboard: registers the MBeans of every {@link ConnectionPool} service in the OSGi
 * service registry (the pools of the {@code dev.vaultx.pool} configurations and any pool an
 * application registers itself) in the platform MBeanServer, as
 * {@code dev.vaultx:type=ConnectionPool,name="<pool>"} plus one {@code ...,node=<host_port>} per node,
 * and unregisters them when the service is unregistered or this component stops.
 *
 * <p>A pool whose name is already taken in the MBeanServer is logged as a warning and runs without
 * MBeans. Closing a pool also unregisters its MBeans ({@link Registration}).
 *
 * <p>This class is thread-safe: the registrations are guarded by {@code this}; the MBeanServer does
 * not call back into this class.
 */
@Component(service = {}, immediate = true)
public final class PoolMBeanWhiteboard {

    private static final System.Logger LOG = System.getLogger(PoolMBeanWhiteboard.class.getName());

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    // guarded by this
    private final Map<ServiceReference<ConnectionPool>, Registration> registrations = new HashMap<>();

    /** SCR instantiates the component. */
    public PoolMBeanWhiteboard() {
    }

    @Reference(service = ConnectionPool.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removePool")
    synchronized void addPool(ServiceReference<ConnectionPool> reference, ConnectionPool pool) {
        if (registrations.containsKey(reference)) {
            return;
        }
        try {
            Registration registration = PoolMBeans.register(pool, server);
            registrations.put(reference, registration);
            LOG.log(System.Logger.Level.DEBUG, () -> "vaultx-pool: registered " + registration.objectNames());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "vaultx-pool: no MBeans for the pool '" + pool.name() + "': " + e.getMessage(), e);
        }
    }

    synchronized void removePool(ServiceReference<ConnectionPool> reference) {
        Registration registration = registrations.remove(reference);
        if (registration != null) {
            registration.close();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        List<Registration> all = new ArrayList<>(registrations.values());
        registrations.clear();
        all.forEach(Registration::close);
    }
}
