package dev.vaultx.pool.impl.osgi;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import java.net.URI;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 *     ({@code size: abc (expected: an integer)}) and no pool runs for it (an invalid update closes the
 *     running pool); a later valid update starts one. Unknown keys are logged as a warning.</li>
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

    /** A started pool, its service and the configuration it runs with. */
    private record Running(ConnectionPool pool, ServiceRegistration<ConnectionPool> registration, ConfigurationValues values,
            PoolConfig config) {
    }

    // guarded by this
    private BundleContext context;
    // guarded by this; null while the configuration is invalid
    private Running running;

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
            LOG.error("vaultx-pool: invalid configuration {} of the pool '{}': {}; no pool runs for it", values.pid(), values.name(),
                    values.describe(e));
            stop("its configuration became invalid");
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
        ConnectionPool pool;
        try {
            pool = AsyncHttpConnectionPool.start(config);
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

    private void stop(String why) {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        try {
            r.registration().unregister();
        } catch (IllegalStateException alreadyUnregistered) {
            // the framework took it down with the bundle
        }
        r.pool().close();
        LOG.info("vaultx-pool: closed the pool '{}' ({}): {}", r.config().name(), r.values().pid(), why);
    }
}
