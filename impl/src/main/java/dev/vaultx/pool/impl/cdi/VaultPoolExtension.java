package dev.vaultx.pool.impl.cdi;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import dev.vaultx.pool.PoolStarted;
import dev.vaultx.pool.VaultPool;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.CreationException;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.inject.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDI integration of vaultx-pool: one application-scoped {@link ConnectionPool} bean per pool
 * name the application injects.
 *
 * <ul>
 * <li>{@code @Inject ConnectionPool pool} is the pool named {@code default}, configured by
 *     {@code vaultx.pool.<key>}; {@code @Inject @VaultPool("payments") ConnectionPool} the pool
 *     {@code payments}, configured by {@code vaultx.pool.payments.<key>}. {@code Instance<ConnectionPool>}
 *     and {@code Provider<ConnectionPool>} injection points with {@code @Default} or {@code @VaultPool}
 *     define their pool too. Each name is its own bean with the qualifiers {@code @VaultPool(name)} and
 *     {@code @Any} ({@code @Default} too for {@code default}). A name for which the application
 *     has a bean of its own (e.g. its own producer) is left alone.</li>
 * <li>Configuration comes from MicroProfile Config when the application has it, then system
 *     properties, then environment variables ({@link ConfigLookup}). It is read and validated while
 *     the container deploys: a missing or invalid value is a definition error that fails the
 *     deployment with {@code vaultx.pool.payments.size: abc (expected: an integer)}.</li>
 * <li>{@code vaultx.pool.startup} ({@code vaultx.pool.<name>.startup} for one pool) is {@code eager}
 *     (default: started when the application starts, {@code @Initialized(ApplicationScoped.class)})
 *     or {@code lazy} (at the first call on the injected pool).</li>
 * <li>When the application has a Dropwizard {@link MetricRegistry} bean ({@code @Default}), each pool
 *     records its metrics there (names of {@link dev.vaultx.pool.impl.metrics.MetricNames}, removed when
 *     the pool closes); without one, or with several, it keeps them private. A registry that already holds a
 *     pool of the same name is not used for the second one (a warning says so). Each
 *     {@link PoolMetricsTrackerFactory} bean of the application ({@code @Default}) makes a tracker for each pool
 *     (Micrometer: the {@code vaultx-pool-micrometer} jar brings one that uses the application's
 *     {@code MeterRegistry}).</li>
 * <li>Starting a pool fires {@link PoolStarted} with its {@code @VaultPool} qualifier (the JMX module
 *     registers the MBeans on it). At shutdown the application context closes every pool: its
 *     threads and connections end with the deployment.</li>
 * </ul>
 *
 * <p>Registered through {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}; it needs
 * full CDI (portable extensions), as WildFly, Open Liberty and Weld SE have.
 */
public class VaultPoolExtension implements Extension {

    private static final Logger LOG = LoggerFactory.getLogger(VaultPoolExtension.class);

    private static final String DEFAULT = "default";

    /** pool names wanted at injection points, in the order first seen */
    private final Set<String> injected = new LinkedHashSet<>();
    /** pool names for which the application defines a bean of its own */
    private final Set<String> applicationDefined = new LinkedHashSet<>();
    /** the pools this extension defined, by name */
    private final Map<String, PoolDefinition> pools = new LinkedHashMap<>();

    /** A pool's validated configuration and startup mode. */
    record PoolDefinition(PoolConfig config, Startup startup, String source) {
    }

    void injectionPoint(@Observes ProcessInjectionPoint<?, ?> event) {
        InjectionPoint ip = event.getInjectionPoint();
        if (isPoolType(ip.getType())) {
            String name = poolName(ip.getQualifiers());
            if (name != null) {
                synchronized (this) {
                    injected.add(name);
                }
            }
        }
    }

    void applicationBean(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        if (bean.getBeanClass() != VaultPoolExtension.class && bean.getTypes().contains(ConnectionPool.class)) {
            String name = poolName(bean.getQualifiers());
            if (name != null) {
                synchronized (this) {
                    applicationDefined.add(name);
                }
            }
        }
    }

    void definePools(@Observes AfterBeanDiscovery event) {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(injected);
            names.removeAll(applicationDefined);
        }
        if (names.isEmpty()) {
            return;
        }
        ConfigLookup lookup = ConfigLookup.detect(applicationClassLoader());
        for (String name : names) {
            PoolDefinition definition;
            try {
                definition = read(name, lookup);
            } catch (PoolConfigException e) {
                event.addDefinitionError(new DefinitionException("vaultx-pool: invalid configuration of the pool '" + name
                        + "' (read from " + lookup.describe() + "): " + e.getMessage(), e));
                continue;
            }
            synchronized (this) {
                pools.put(name, definition);
            }
            event.addBean()
                    .id(VaultPoolExtension.class.getName() + "#" + name)
                    .beanClass(VaultPoolExtension.class)
                    .types(ConnectionPool.class, Object.class)
                    .qualifiers(qualifiers(name))
                    .scope(ApplicationScoped.class)
                    .produceWith(instance -> start(name, definition, instance))
                    .disposeWith((pool, instance) -> close(name, pool));
            LOG.debug("vaultx-pool: defined the pool '{}' ({} nodes, startup {}, configuration from {})",
                    name, definition.config().nodes().size(), definition.startup(), definition.source());
        }
    }

    void startEagerPools(@Observes @Initialized(ApplicationScoped.class) Object event, BeanManager beanManager) {
        List<String> eager = new ArrayList<>();
        synchronized (this) {
            pools.forEach((name, d) -> {
                if (d.startup() == Startup.EAGER) {
                    eager.add(name);
                }
            });
        }
        for (String name : eager) {
            Bean<?> bean = beanManager.resolve(beanManager.getBeans(ConnectionPool.class, VaultPool.Literal.of(name)));
            ConnectionPool proxy = (ConnectionPool) beanManager.getReference(bean, ConnectionPool.class,
                    beanManager.createCreationalContext(bean));
            try {
                proxy.isClosed(); // the first call on the client proxy creates (starts) the pool
            } catch (RuntimeException e) {
                throw new DeploymentException("vaultx-pool: the pool '" + name + "' did not start: " + describe(e), e);
            }
        }
    }

    /** @return the names of the pools this extension defined, in the order first injected */
    public synchronized List<String> poolNames() {
        return List.copyOf(pools.keySet());
    }

    private static PoolDefinition read(String name, ConfigLookup lookup) {
        // the default pool also honours Vault's own variables (VAULT_ADDR, VAULT_CACERT, ...) under the explicit keys
        PoolConfig config = DEFAULT.equals(name)
                ? PoolConfigReader.fromVaultEnvironment(name, lookup, System::getenv)
                : PoolConfigReader.read(name, lookup);
        String ownKey = PoolConfigReader.prefix(name) + Startup.KEY;
        String globalKey = PoolConfigReader.prefix(DEFAULT) + Startup.KEY;
        String own = lookup.apply(ownKey);
        Startup startup = own != null && !own.isBlank()
                ? Startup.parse(ownKey, own)
                : Startup.parse(globalKey, lookup.apply(globalKey));
        return new PoolDefinition(config, startup, lookup.describe());
    }

    private ConnectionPool start(String name, PoolDefinition definition, Instance<Object> instance) {
        AsyncHttpConnectionPool pool;
        try {
            pool = startPool(name, definition.config(), instance);
        } catch (RuntimeException | LinkageError e) {
            // some servers report only the outermost message of a deployment failure: say it all here
            throw new CreationException("vaultx-pool: cannot start the pool '" + name + "': " + describe(e), e);
        }
        try {
            instance.select(BeanManager.class).get().getEvent()
                    .select(PoolStarted.class, VaultPool.Literal.of(name))
                    .fire(new PoolStarted(pool));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("vaultx-pool: started the pool '{}' on {} ({} startup)", name, definition.config().nodes(),
                definition.startup().name().toLowerCase(Locale.ROOT));
        return pool;
    }

    /**
     * Starts the pool, with the application's Dropwizard registry if it has exactly one, and a tracker from each of
     * its {@link PoolMetricsTrackerFactory} beans ({@code @Default}; e.g. the one of {@code vaultx-pool-micrometer}).
     */
    private static AsyncHttpConnectionPool startPool(String name, PoolConfig config, Instance<Object> instance) {
        List<PoolMetricsTrackerFactory> factories = new ArrayList<>();
        instance.select(PoolMetricsTrackerFactory.class).forEach(factories::add);
        Instance<MetricRegistry> registries = instance.select(MetricRegistry.class);
        if (!registries.isResolvable()) {
            if (registries.isAmbiguous()) {
                LOG.warn("vaultx-pool: several MetricRegistry beans, the pool '{}' keeps its metrics private", name);
            }
            return builder(config, factories).start();
        }
        try {
            return builder(config, factories).metricRegistry(registries.get()).start();
        } catch (IllegalArgumentException nameTaken) {
            LOG.warn("vaultx-pool: the pool '{}' keeps its metrics private: {}", name, nameTaken.getMessage());
            return builder(config, factories).start();
        }
    }

    private static AsyncHttpConnectionPool.Builder builder(PoolConfig config, List<PoolMetricsTrackerFactory> factories) {
        AsyncHttpConnectionPool.Builder b = AsyncHttpConnectionPool.builder(config);
        factories.forEach(b::metricsTrackerFactory);
        return b;
    }

    private static void close(String name, ConnectionPool pool) {
        try {
            pool.close();
            LOG.info("vaultx-pool: closed the pool '{}'", name);
        } catch (RuntimeException e) {
            LOG.warn("vaultx-pool: closing the pool '{}' failed", name, e);
        }
    }

    private static Annotation[] qualifiers(String name) {
        return DEFAULT.equals(name)
                ? new Annotation[] {VaultPool.Literal.of(name), Any.Literal.INSTANCE, Default.Literal.INSTANCE}
                : new Annotation[] {VaultPool.Literal.of(name), Any.Literal.INSTANCE};
    }

    /** @return the pool named by these qualifiers: {@code @VaultPool(name)}, {@code @Default} → {@code default}; else {@code null} */
    private static String poolName(Set<Annotation> qualifiers) {
        for (Annotation q : qualifiers) {
            if (q instanceof VaultPool vp) {
                return vp.value();
            }
        }
        for (Annotation q : qualifiers) {
            if (q.annotationType() == Default.class) {
                return DEFAULT;
            }
        }
        return null;
    }

    /** @return {@code true} for {@code ConnectionPool}, {@code Instance<ConnectionPool>} and {@code Provider<ConnectionPool>} */
    private static boolean isPoolType(Type type) {
        if (type == ConnectionPool.class) {
            return true;
        }
        if (type instanceof ParameterizedType p && (p.getRawType() == Instance.class || p.getRawType() == Provider.class)) {
            Type[] args = p.getActualTypeArguments();
            return args.length == 1 && args[0] == ConnectionPool.class;
        }
        return false;
    }

    private static ClassLoader applicationClassLoader() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : VaultPoolExtension.class.getClassLoader();
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            s.append("; caused by ").append(c);
        }
        if (s.indexOf("jdk/net/") >= 0 || s.indexOf("jdk.net.") >= 0) {
            s.append(" (on WildFly, add WEB-INF/jboss-deployment-structure.xml with a dependency on the module jdk.net)");
        }
        return s.toString();
    }
}
