package dev.vaultx.pool.micrometer.osgi;

import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import dev.vaultx.pool.micrometer.MicrometerTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * For every Micrometer {@link MeterRegistry} service, registers a {@link PoolMetricsTrackerFactory} service
 * (a {@link MicrometerTrackerFactory} on that registry) with the property {@value #REGISTRY_PROPERTY} (the
 * registry's {@code service.id}). The pool component of {@code vaultx-pool-osgi} attaches a tracker from each such
 * service to each pool it runs, without restarting the pool; when the registry service goes away, its factory
 * service is unregistered and the pools detach its trackers, which removes their meters from the registry.
 *
 * <p>This class is thread-safe: its maps are guarded by {@code this}; services are registered and unregistered
 * outside that lock, since other components react to them synchronously.
 */
@Component(service = {}, immediate = true)
public final class MeterRegistryWhiteboard {

    /** The property of each factory service that holds the {@code service.id} of its registry service. */
    public static final String REGISTRY_PROPERTY = "vaultx.meter.registry.id";

    // guarded by this; null while not active
    private BundleContext context;
    // guarded by this: the registries bound, and the factory service of each
    private final Map<ServiceReference<MeterRegistry>, MeterRegistry> registries = new HashMap<>();
    private final Map<ServiceReference<MeterRegistry>, ServiceRegistration<PoolMetricsTrackerFactory>> factories = new HashMap<>();

    /** SCR instantiates the component. */
    public MeterRegistryWhiteboard() {
    }

    @Activate
    void activate(BundleContext bundleContext) {
        Map<ServiceReference<MeterRegistry>, MeterRegistry> bound;
        synchronized (this) {
            context = bundleContext;
            bound = new HashMap<>(registries);
        }
        bound.forEach(this::register);
    }

    // dynamic: SCR may bind before activate (then activate registers the factory) and while active
    @Reference(service = MeterRegistry.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeRegistry")
    void addRegistry(ServiceReference<MeterRegistry> reference, MeterRegistry registry) {
        boolean active;
        synchronized (this) {
            registries.put(reference, registry);
            active = context != null;
        }
        if (active) {
            register(reference, registry);
        }
    }

    void removeRegistry(ServiceReference<MeterRegistry> reference) {
        ServiceRegistration<PoolMetricsTrackerFactory> registration;
        synchronized (this) {
            registries.remove(reference);
            registration = factories.remove(reference);
        }
        unregister(registration);
    }

    @Deactivate
    void deactivate() {
        List<ServiceRegistration<PoolMetricsTrackerFactory>> all;
        synchronized (this) {
            context = null;
            all = new ArrayList<>(factories.values());
            factories.clear();
        }
        all.forEach(MeterRegistryWhiteboard::unregister);
    }

    private void register(ServiceReference<MeterRegistry> reference, MeterRegistry registry) {
        BundleContext c;
        synchronized (this) {
            if (context == null || factories.containsKey(reference)) {
                return;
            }
            c = context;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(REGISTRY_PROPERTY, reference.getProperty(Constants.SERVICE_ID));
        ServiceRegistration<PoolMetricsTrackerFactory> registration =
                c.registerService(PoolMetricsTrackerFactory.class, new MicrometerTrackerFactory(registry), properties);
        synchronized (this) {
            // still wanted, and not registered meanwhile by a concurrent activate or bind
            if (context != null && registries.containsKey(reference) && !factories.containsKey(reference)) {
                factories.put(reference, registration);
                return;
            }
        }
        unregister(registration);
    }

    private static void unregister(ServiceRegistration<PoolMetricsTrackerFactory> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyUnregistered) {
            // the framework took it down with the bundle
        }
    }
}
