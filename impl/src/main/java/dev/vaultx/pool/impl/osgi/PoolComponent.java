package dev.vaultx.pool.impl.osgi;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import java.net.URI;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool per ConfigAdmin configuration of the factory PID {@code dev.vaultx.pool}, registered as a
 * {@link ConnectionPool} service with the service properties {@value #NAME_PROPERTY} (the pool's
 * name) and {@value #NODES_PROPERTY} (its node URLs).
 *
 * <ul>
 * <li>The configuration's keys are those of {@link PoolConfigReader#keys()} ({@code nodes} as
 *     several values or comma-separated, {@code size}, {@code borrowTimeout = 2s}, ...), read and
 *     checked by {@link PoolConfigReader}; {@code name} names the pool, by default the configuration's
 *     name ({@code dev.vaultx.pool~payments} is {@code payments}).</li>
 * <li>An update that changes only {@code size} and {@code maxOverflow} resizes the running pool
 *     ({@link dev.vaultx.pool.PoolControl#resize}); any other change (name included) replaces it: the
 *     old service is unregistered, the old pool closed, the new one started and registered.</li>
 * <li>An invalid configuration is logged as an error naming the key and the value
 *     ({@code size: abc (expected: an integer)}). An invalid update of a running pool leaves that pool
 *     running with its last valid configuration (one typo in a hot-reloaded {@code etc/*.cfg} does not take
 *     the pool down); an invalid first configuration starts no pool. A later valid update applies as
 *     usual. Unknown keys are logged as a warning.</li>
 * <li>When a Dropwizard {@link MetricRegistry} service is registered, pools record their metrics in it
 *     (names of {@link dev.vaultx.pool.impl.metrics.MetricNames}, removed when the pool closes). The
 *     reference is static, optional and greedy: when such a service appears or goes, SCR reactivates the
 *     component, so each pool is replaced by one that uses (or no longer uses) the registry. A registry
 *     that already holds a pool of the same name is not used for the second one (a warning says so).</li>
 * <li>Every {@link PoolMetricsTrackerFactory} service (e.g. the one {@code vaultx-pool-micrometer} registers for
 *     each Micrometer {@code MeterRegistry} service) gives the running pool a tracker, attached without restarting
 *     the pool, from just after its start; when the service goes away the tracker is detached and closed
 *     (which removes its meters). The reference is dynamic and multiple.</li>
 * <li>Deleting the configuration, or stopping the bundle, unregisters the service and closes the pool
 *     (in-flight requests get {@code shutdownTimeout}).</li>
 * </ul>
 *
 * <p>The component registers the pool itself rather than being the service, so that an invalid
 * configuration registers nothing and a replaced pool is a new service, which whiteboards such as
 * the JMX module's see as an unbind and a bind. Consumers must not close the service's pool.
 *
 * <p>This class is thread-safe: SCR's calls are serialized on {@code this}.
 */
@Component(name = PoolComponent.PID, configurationPid = PoolComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = PoolConfiguration.class, factory = true)
public final class PoolComponent {

    /** The factory configuration PID, also the component's name. */
    public static final String PID = "dev.vaultx.pool";

    /** The service property that holds the pool's name. */
    public static final String NAME_PROPERTY = "vaultx.pool.name";

    /** The service property that holds the pool's node URLs ({@code String[]}). */
    public static final String NODES_PROPERTY = "vaultx.pool.nodes";

    private static final Logger LOG = LoggerFactory.getLogger(PoolComponent.class);
    private static final AutoCloseable NOT_ATTACHED = () -> { };

    /** A started pool, its service and the configuration it runs with. */
    private record Running(AsyncHttpConnectionPool pool, ServiceRegistration<ConnectionPool> registration, ConfigurationValues values,
            PoolConfig config) {
    }

    // guarded by this
    private BundleContext context;
    // guarded by this; null while no valid configuration was seen
    private Running running;

    /**
     * A Dropwizard registry service, if one is registered. Static: SCR sets it before {@link #activate} and
     * reactivates the component when it comes or goes, so it never changes under a running pool.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.STATIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private MetricRegistry metricRegistry;

    /**
     * Guarded by this: the tracker factory services bound, each with the handle of its tracker on the running pool
     * ({@link #NOT_ATTACHED} while no pool runs). Identity: two equal factories are two services.
     */
    private final Map<PoolMetricsTrackerFactory, AutoCloseable> trackerFactories = new IdentityHashMap<>();

    /** SCR instantiates the component. */
    public PoolComponent() {
    }

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> properties) {
        this.context = bundleContext;
        apply(ConfigurationValues.of(properties));
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(ConfigurationValues.of(properties));
    }

    @Deactivate
    synchronized void deactivate() {
        stop("its configuration was deleted or the component stopped");
        context = null;
    }

    private void apply(ConfigurationValues values) {
        if (!values.unknownKeys().isEmpty()) {
            LOG.warn("vaultx-pool: configuration {} has unknown keys {}, ignored (expected: name or one of {})", values.pid(),
                    values.unknownKeys(), PoolConfigReader.keys());
        }
        PoolConfig config;
        try {
            config = PoolConfigReader.read(values.name(), values.lookup());
        } catch (PoolConfigException e) {
            if (running != null) {
                LOG.error("vaultx-pool: invalid configuration {} of the pool '{}': {}; the pool keeps running with its last valid"
                        + " configuration", values.pid(), values.name(), values.describe(e));
            } else {
                LOG.error("vaultx-pool: invalid configuration {} of the pool '{}': {}; no pool runs for it", values.pid(),
                        values.name(), values.describe(e));
            }
            return;
        }
        if (running != null && running.values().sameExceptSizes(values)) {
            resize(values, config);
            return;
        }
        stop("its configuration changed");
        start(values, config);
    }

    private void resize(ConfigurationValues values, PoolConfig config) {
        PoolConfig old = running.config();
        if (old.size() != config.size() || old.maxOverflow() != config.maxOverflow()) {
            running.pool().control().resize(config.size(), config.maxOverflow());
            LOG.info("vaultx-pool: resized the pool '{}' ({}): size {} -> {}, maxOverflow {} -> {}", config.name(), values.pid(),
                    old.size(), config.size(), old.maxOverflow(), config.maxOverflow());
        }
        running = new Running(running.pool(), running.registration(), values, config);
    }

    private void start(ConfigurationValues values, PoolConfig config) {
        AsyncHttpConnectionPool pool;
        try {
            pool = startPool(values, config);
        } catch (RuntimeException e) {
            LOG.error("vaultx-pool: the pool '{}' ({}) failed to start: {}", config.name(), values.pid(), e.toString(), e);
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(NAME_PROPERTY, config.name());
        properties.put(NODES_PROPERTY, config.nodes().stream().map(URI::toString).toArray(String[]::new));
        ServiceRegistration<ConnectionPool> registration;
        try {
            registration = context.registerService(ConnectionPool.class, pool, properties);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        running = new Running(pool, registration, values, config);
        LOG.info("vaultx-pool: started the pool '{}' ({}) on {}", config.name(), values.pid(), config.nodes());
    }

    // dynamic: SCR may call these before activate, and at any time while the pool runs (under this, as the others)
    @Reference(service = PoolMetricsTrackerFactory.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeTrackerFactory")
    synchronized void addTrackerFactory(PoolMetricsTrackerFactory factory) {
        if (!trackerFactories.containsKey(factory)) {
            trackerFactories.put(factory, running == null ? NOT_ATTACHED : running.pool().addMetricsTracker(factory));
        }
    }

    synchronized void removeTrackerFactory(PoolMetricsTrackerFactory factory) {
        AutoCloseable attached = trackerFactories.remove(factory);
        if (attached != null) {
            detach(attached);
        }
    }

    private static void detach(AutoCloseable attached) {
        try {
            attached.close();
        } catch (Exception e) {
            // the pool's handles only detach and close a tracker, which the pool guards: nothing is thrown
        }
    }

    private AsyncHttpConnectionPool startPool(ConfigurationValues values, PoolConfig config) {
        AsyncHttpConnectionPool pool = startWithRegistry(values, config);
        trackerFactories.replaceAll((factory, none) -> pool.addMetricsTracker(factory));
        return pool;
    }

    private AsyncHttpConnectionPool startWithRegistry(ConfigurationValues values, PoolConfig config) {
        MetricRegistry registry = metricRegistry;
        if (registry == null) {
            return AsyncHttpConnectionPool.start(config);
        }
        try {
            return AsyncHttpConnectionPool.builder(config).metricRegistry(registry).start();
        } catch (IllegalArgumentException nameTaken) {
            LOG.warn("vaultx-pool: the pool '{}' ({}) runs without Dropwizard metrics: {}", config.name(), values.pid(),
                    nameTaken.getMessage());
            return AsyncHttpConnectionPool.start(config);
        }
    }

    private void stop(String why) {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        trackerFactories.replaceAll((factory, attached) -> NOT_ATTACHED); // closing the pool closes its trackers
        try {
            r.registration().unregister();
        } catch (IllegalStateException alreadyUnregistered) {
            // the framework took it down with the bundle
        }
        r.pool().close();
        LOG.info("vaultx-pool: closed the pool '{}' ({}): {}", r.config().name(), r.values().pid(), why);
    }
}
