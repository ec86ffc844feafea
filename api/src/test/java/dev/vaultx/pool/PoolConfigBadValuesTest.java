package dev.vaultx.pool;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The builder's gaps that {@link PoolConfigBuilderTest} leaves: negative and minimum values of every
 * numeric setter, negative and zero durations for every duration setter (found by reflection, so a new
 * one is covered), control characters in text, and malformed node URLs beyond the usual ones. Each is
 * rejected with {@code name: value (expected: ...)} and leaves the builder unchanged.
 */
class PoolConfigBadValuesTest {

    private static final String NODE = "https://vault-1:8200";

    /** Durations each setter must reject: negative always, zero unless zero is documented as meaningful. */
    static Stream<Arguments> badDurations() {
        List<Arguments> all = new ArrayList<>();
        for (Method m : PoolConfigBuilder.class.getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == Duration.class) {
                all.add(arguments(m.getName(), Duration.ofNanos(-1)));
                all.add(arguments(m.getName(), Duration.ofSeconds(Long.MIN_VALUE)));
                all.add(arguments(m.getName(), null));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("badDurations")
    void negativeAndNullDurationsAreRejected(String setter, Duration value) throws Exception {
        assertRejected(setter, value, Duration.class);
    }

    static Stream<Arguments> zeroDurations() {
        return Stream.of("timeout", "maxIdleTime", "overflowIdleTimeout", "healthCheckInterval", "healthCheckTimeout", "requestTimeout", "attemptTimeout",
                "circuitBreakerWindow", "circuitBreakerDelay").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}(PT0S)")
    @MethodSource("zeroDurations")
    void zeroIsRejectedWhereADurationMustBePositive(String setter) throws Exception {
        assertRejected(setter, Duration.ZERO, Duration.class);
    }

    static Stream<Arguments> badInts() {
        List<Arguments> all = new ArrayList<>();
        for (Method m : PoolConfigBuilder.class.getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == int.class) {
                all.add(arguments(m.getName(), -1));
                all.add(arguments(m.getName(), Integer.MIN_VALUE));
                all.add(arguments(m.getName(), Integer.MAX_VALUE));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("badInts")
    void negativeMinimumAndMaximumIntsAreRejected(String setter, int value) throws Exception {
        assertRejected(setter, value, int.class);
    }

    @Test
    void everyNumericAndDurationSetterIsCovered() {
        assertThat(badInts().count()).as("int setters x 3").isGreaterThanOrEqualTo(3 * 11);
        assertThat(badDurations().count()).as("Duration setters x 3").isGreaterThanOrEqualTo(3 * 13);
    }

    static Stream<Arguments> badText() {
        return Stream.of(
                arguments("name", (Consumer<PoolConfigBuilder>) b -> b.name("pool\nx")),
                arguments("name", (Consumer<PoolConfigBuilder>) b -> b.name("p\u0000")),
                arguments("name", (Consumer<PoolConfigBuilder>) b -> b.name("pöol")),
                arguments("name", (Consumer<PoolConfigBuilder>) b -> b.name("..")),
                arguments("namespace", (Consumer<PoolConfigBuilder>) b -> b.namespace("team\nx")),
                arguments("namespace", (Consumer<PoolConfigBuilder>) b -> b.namespace("team\u007f")),
                arguments("namespace", (Consumer<PoolConfigBuilder>) b -> b.namespace("\r\n")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault-1:-1")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault-1:99999999999")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault-1:8200?")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault-1:8200#")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault-1:8200/v1/sys/health")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http:///vault-1:8200")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http:vault-1:8200")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://vault 1:8200")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("javascript:alert(1)")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("file:///etc/passwd")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://127.0.0.1:8200", "http://127.0.0.1:8200/")),
                arguments("nodes", (Consumer<PoolConfigBuilder>) b -> b.nodes("http://localhost", "http://LOCALHOST:80")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badText")
    void controlCharactersAndMalformedUrlsAreRejected(String key, Consumer<PoolConfigBuilder> setter) {
        PoolConfigBuilder b = PoolConfig.builder().nodes(NODE);
        String before = b.build().toString();

        PoolConfigException e = catchThrowableOfType(PoolConfigException.class, () -> setter.accept(b));

        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ").contains(" (expected: ");
        assertThat(b.build().toString()).as("the builder is unchanged").isEqualTo(before);
    }

    /**
     * Finding for {@code PoolConfigBuilder}: every duration setter accepts any positive value, but a pool
     * cannot use one longer than a {@code long} of nanoseconds holds (about 292 years): with
     * {@code healthCheckInterval}, {@code healthCheckTimeout}, {@code maxIdleTime} or
     * {@code circuitBreakerWindow} it fails to start with an {@link ArithmeticException} from deep inside,
     * rather than the builder saying {@code <key>: <value> (expected: ...)}; before impl's fixes the request
     * timeouts made {@code requestAsync} throw and {@code shutdownTimeout} made {@code close()} throw. impl now
     * clamps what it can ({@code hardening.AbsurdDurationsTest}); the fix is an upper bound in the builder.
     */
    @Test
    @Disabled("bug in PoolConfigBuilder (owned by the TLS work): durations of centuries are accepted and break the pool")
    void absurdlyLongDurationsAreRejected() throws Exception {
        for (Method m : PoolConfigBuilder.class.getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == Duration.class) {
                assertRejected(m.getName(), ChronoUnit.FOREVER.getDuration(), Duration.class);
                assertRejected(m.getName(), Duration.ofDays(200_000), Duration.class);
            }
        }
    }

    private static void assertRejected(String setter, Object value, Class<?> type) throws Exception {
        PoolConfigBuilder b = PoolConfig.builder().nodes(NODE);
        String before = b.build().toString();
        Method m = PoolConfigBuilder.class.getMethod(setter, type);
        Throwable e;
        try {
            m.invoke(b, value);
            e = null;
        } catch (InvocationTargetException thrown) {
            e = thrown.getCause();
        }
        assertThat(e).as("%s(%s) is rejected", setter, value).isInstanceOf(PoolConfigException.class);
        assertThat(((PoolConfigException) e).key()).isEqualTo(setter);
        assertThat(e.getMessage()).startsWith(setter + ": " + value + " (expected: ").endsWith(")");
        assertThat(b.build().toString()).as("the builder is unchanged").isEqualTo(before);
    }
}
