package dev.vaultx.pool.impl.osgi;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The OSGi component's mapping of a ConfigAdmin configuration (typed values: Integer, Long, Boolean,
 * Double, arrays, collections) through {@link PoolConfigReader}, outside the framework: every key fed a
 * value of the wrong Java type is rejected naming the key as the configuration spells it
 * ({@code size: true (expected: an integer)}), and an invalid configuration makes
 * {@link PoolComponent} register nothing and throw nothing (SCR would otherwise deactivate it), an
 * invalid update keeps the running pool with its last valid configuration, and a valid one starts it. The framework itself (Felix, SCR,
 * ConfigAdmin, metatype) is covered by {@code itest/osgi}.
 */
class PoolComponentConfigurationTest {

    private static final String NODE = "http://127.0.0.1:8200";

    /** Values of the wrong Java type for a key, as ConfigAdmin may hold them, by the type the key takes. */
    static List<Object> wrongTypes(String key) throws NoSuchMethodException {
        Method getter = PoolConfig.class.getMethod(key);
        Class<?> type = getter.getReturnType();
        if (type == int.class) {
            return List.of(Boolean.TRUE, 1.5d, new int[] {1, 2}, List.of(1, 2), Long.MAX_VALUE, -1, "ten");
        }
        if (type == Duration.class) {
            return List.of(Boolean.TRUE, -5, 1.5d, new String[] {"1s", "2s"}, "ten seconds");
        }
        if (type == boolean.class) {
            return List.of(1, 0L, "yes", new boolean[] {true, false}, 'y');
        }
        if (type == double.class) {
            return List.of(Boolean.TRUE, "abc", new double[] {0.1, 0.2}, -1);
        }
        if (type == List.class) {
            return List.of(5, Boolean.TRUE, new String[] {NODE, NODE}, List.of(NODE, "ftp://x:1"), new int[] {8200});
        }
        if (type.isEnum()) {
            return List.of(3, Boolean.TRUE, new String[] {"ROUND_ROBIN", "LEAST_PENDING"});
        }
        if (type == Optional.class) {
            Object element = ((ParameterizedType) getter.getGenericReturnType()).getActualTypeArguments()[0];
            if (element == Path.class) {
                return List.of(5, Boolean.TRUE);
            }
            if (key.equals("namespace")) {
                return List.of((Object) new String[] {"a\u0007b", "c"}, "tab\there");
            }
            if (key.toLowerCase(java.util.Locale.ROOT).contains("pem")) {
                return List.of(5, Boolean.TRUE);
            }
            return List.of(); // a password: any text
        }
        throw new AssertionError("no wrong values for the key " + key + " of type " + getter.getGenericReturnType());
    }

    static Stream<Arguments> wrongTypedValues() throws NoSuchMethodException {
        List<Arguments> all = new ArrayList<>();
        for (String key : PoolConfigReader.keys()) {
            for (Object v : wrongTypes(key)) {
                all.add(arguments(key, v));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypedValues")
    void aValueOfTheWrongTypeIsRejectedNamingTheKeyAsTheConfigurationSpellsIt(String key, Object value) {
        Map<String, Object> properties = new HashMap<>(Map.of("service.pid", "dev.vaultx.pool~payments",
                "component.name", PoolComponent.PID));
        if (!key.equals("nodes")) {
            properties.put("nodes", new String[] {NODE});
        }
        properties.put(key, value);
        ConfigurationValues values = ConfigurationValues.of(properties);
        assertThat(values.name()).isEqualTo("payments");
        assertThat(values.unknownKeys()).isEmpty();

        Throwable e = catchThrowable(() -> PoolConfigReader.read(values.name(), values.lookup()));

        assertThat(e).as("%s = %s is rejected", key, value).isInstanceOf(PoolConfigException.class);
        assertThat(((PoolConfigException) e).key()).isEqualTo("vaultx.pool.payments." + key);
        assertThat(values.describe((PoolConfigException) e)).startsWith(key + ": ").contains(" (expected: ").endsWith(")");
    }

    @Test
    void aTypedNumberForADurationIsRefusedAsEverywhereElseSinceItsUnitWouldBeAGuess() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "dev.vaultx.pool~orders");
        properties.put("nodes", NODE);
        properties.put("maxIdleTime", 90_000L);
        ConfigurationValues values = ConfigurationValues.of(properties);

        Throwable e = catchThrowable(() -> PoolConfigReader.read(values.name(), values.lookup()));

        assertThat(e).isInstanceOf(PoolConfigException.class)
                .hasMessage("vaultx.pool.orders.maxIdleTime: 90000 (expected: a duration with a unit, e.g. 30s, 500ms)");
    }

    @Test
    void typedValuesOfTheRightKindAreRead() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", "dev.vaultx.pool~orders");
        properties.put("nodes", List.of(NODE, "http://127.0.0.1:8201"));
        properties.put("size", 3);
        properties.put("maxOverflow", 0L);
        properties.put("prewarm", Boolean.FALSE);
        properties.put("retryBudgetRatio", 0.5d);
        properties.put("borrowTimeout", "250ms");
        properties.put("maxIdleTime", "90s");
        properties.put("balancingStrategy", "least-pending");
        properties.put("maxoverflow", 7); // a typo: reported, not used

        ConfigurationValues values = ConfigurationValues.of(properties);
        PoolConfig c = PoolConfigReader.read(values.name(), values.lookup());

        assertThat(values.unknownKeys()).containsExactly("maxoverflow");
        assertThat(c.name()).isEqualTo("orders");
        assertThat(c.nodes()).hasSize(2);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.maxOverflow()).isZero();
        assertThat(c.prewarm()).isFalse();
        assertThat(c.retryBudgetRatio()).isEqualTo(0.5);
        assertThat(c.borrowTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.maxIdleTime()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anEmptyNodeListOrABadNameIsRejected() {
        for (Object nodes : new Object[] {new String[0], List.of(), "", " , "}) {
            ConfigurationValues values = ConfigurationValues.of(Map.of("service.pid", "dev.vaultx.pool~p", "nodes", nodes));
            Throwable e = catchThrowable(() -> PoolConfigReader.read(values.name(), values.lookup()));
            assertThat(e).as("nodes = %s", nodes).isInstanceOf(PoolConfigException.class);
            assertThat(values.describe((PoolConfigException) e)).startsWith("nodes: ");
        }
        ConfigurationValues badName = ConfigurationValues.of(Map.of("service.pid", "dev.vaultx.pool~p", "nodes", NODE,
                "name", "my pool"));
        assertThat(catchThrowable(() -> PoolConfigReader.read(badName.name(), badName.lookup())))
                .isInstanceOf(PoolConfigException.class).hasMessageStartingWith("name: my pool (expected: ");
    }

    @Test
    @Timeout(60)
    void theComponentRegistersAPoolOnlyForAValidConfigurationAndNeverThrows() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(1)) {
            cluster.put("app", Map.of("k", "v"));
            FakeContext context = new FakeContext();
            PoolComponent component = new PoolComponent();
            Map<String, Object> invalid = new HashMap<>(Map.of("service.pid", "dev.vaultx.pool~osgi-unit",
                    "nodes", new String[] {cluster.node(0).uri().toString()}, "size", Boolean.TRUE));

            component.activate(context.proxy(), invalid);
            assertThat(context.registered).as("services for an invalid configuration").isEmpty();

            Map<String, Object> valid = new HashMap<>(invalid);
            valid.put("size", 2);
            valid.put("healthCheckTimeout", "1s");
            component.modified(valid);
            assertThat(context.registered).hasSize(1);
            ConnectionPool pool = (ConnectionPool) context.registered.get(0);
            assertThat(pool.name()).isEqualTo("osgi-unit");
            assertThat(pool.request(VaultRequest.get("/v1/secret/data/app").token("t").build()).status()).isEqualTo(200);

            valid.put("size", 4);
            component.modified(valid);
            assertThat(context.registered).as("a resize is done in place").hasSize(1);
            assertThat(pool.stats().size()).isEqualTo(4);

            Map<String, Object> broken = new HashMap<>(valid);
            broken.put("maxRetries", new int[] {1, 2});
            component.modified(broken);
            assertThat(context.unregistered).isZero();
            assertThat(pool.isClosed()).as("an invalid update keeps the last good pool running").isFalse();
            assertThat(pool.stats().size()).isEqualTo(4);

            valid.put("healthCheckTimeout", "2s");
            component.modified(valid);
            assertThat(context.registered).as("a valid change after the invalid one replaces the pool").hasSize(2);
            assertThat(pool.isClosed()).isTrue();
            component.deactivate();
            assertThat(context.unregistered).isEqualTo(2);
            assertThat(((ConnectionPool) context.registered.get(1)).isClosed()).isTrue();
        }
    }

    /** A BundleContext that records registrations: the only calls the component makes. */
    private static final class FakeContext {
        final List<Object> registered = Collections.synchronizedList(new ArrayList<>());
        volatile int unregistered;

        BundleContext proxy() {
            ClassLoader loader = getClass().getClassLoader();
            return (BundleContext) Proxy.newProxyInstance(loader, new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                switch (m.getName()) {
                    case "registerService":
                        registered.add(args[1]);
                        return Proxy.newProxyInstance(loader, new Class<?>[] {ServiceRegistration.class}, (r, rm, ra) -> {
                            if (rm.getName().equals("unregister")) {
                                unregistered++;
                            }
                            return rm.getName().equals("hashCode") ? 0 : rm.getName().equals("equals") ? r == ra[0] : null;
                        });
                    case "hashCode":
                        return 0;
                    case "equals":
                        return p == args[0];
                    case "toString":
                        return "FakeContext";
                    default:
                        throw new UnsupportedOperationException(m.getName());
                }
            });
        }
    }
}
