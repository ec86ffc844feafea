package dev.vaultx.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every key of {@link PoolConfigReader#keys()} fed values of the wrong type, negative, out of range or
 * malformed, as properties, environment variables or MicroProfile Config deliver them: each is rejected
 * with a {@link PoolConfigException} that names the full key and the value,
 * {@code vaultx.pool.payments.size: abc (expected: an integer)}; none is accepted silently.
 *
 * <p>The wrong values of a key follow from the type of {@link PoolConfig}'s getter of the same name, so a
 * key added later is covered as soon as its type is; a key of a type not known here fails
 * {@link #everyKeyHasWrongValues()}.
 */
class PoolConfigReaderBadValuesTest {

    private static final String POOL = "payments";
    private static final String PREFIX = "vaultx.pool.payments.";
    private static final String NODE = "http://127.0.0.1:8200";

    /** @return values that {@code key} must reject, by the type of its getter; empty for a free-text secret */
    static List<String> wrongValues(String key) {
        Method getter;
        try {
            getter = PoolConfig.class.getMethod(key);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("no getter PoolConfig." + key + "() for the key " + key, e);
        }
        Class<?> type = getter.getReturnType();
        if (type == int.class) {
            return List.of("abc", "1.5", "0x10", "12abc", "99999999999", "true", "-1", "2147483647", "1e3", "5 5");
        }
        if (type == Duration.class) {
            return List.of("abc", "-5s", "30", "1.5", "5sec", "five seconds", "true", "PT", "P", "PTxS", "99999999999999999999",
                    "PT-1S", "s", "10 minutes");
        }
        if (type == boolean.class) {
            return List.of("yes", "no", "1", "0", "on", "tru", "true false");
        }
        if (type == double.class) {
            return List.of("abc", "0,5", "1/2", "-0.1", "1.5", "NaN", "Infinity");
        }
        if (type == List.class && key.equals("nodes")) {
            return List.of("not a url", "vault-1:8200", "http://", "ftp://vault:21", "http://a:1,http://a:1", ",", " , ",
                    NODE + ",https://127.0.0.1:8201", NODE + "/v1", "http://a:0", "http://a:65536", "http://admin@a:1");
        }
        if (type.isEnum()) {
            return List.of("no-such-value", "1", "ROUND ROBIN");
        }
        if (type == Optional.class) {
            Type element = ((ParameterizedType) getter.getGenericReturnType()).getActualTypeArguments()[0];
            if (element == Path.class) {
                return List.of("/no/such/dir/" + key + ".pem", "/tmp/nul\u0000in-path");
            }
            if (element == String.class && key.equals("tlsServerName")) {
                return List.of("10.0.0.1:8200", "vault_1.example.com", "-vault", "https://vault", "a..b", "x".repeat(64));
            }
            if (element == String.class && key.equals("namespace")) {
                return List.of("team\u0001a", "équipe", "tab\there");
            }
            if (element == String.class && key.toLowerCase(java.util.Locale.ROOT).contains("pem")) {
                return List.of("not a pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----");
            }
            if (element == String.class && key.toLowerCase(java.util.Locale.ROOT).contains("password")) {
                return List.of(); // any text is a password
            }
        }
        return null;
    }

    static Stream<Arguments> badValues() {
        List<Arguments> all = new ArrayList<>();
        for (String key : PoolConfigReader.keys()) {
            List<String> values = wrongValues(key);
            if (values != null) {
                values.forEach(v -> all.add(arguments(key, v)));
            }
        }
        return all.stream();
    }

    @Test
    void everyKeyHasWrongValues() {
        for (String key : PoolConfigReader.keys()) {
            List<String> values = wrongValues(key);
            assertThat(values).as("wrong values for the key %s: add its type to wrongValues()", key).isNotNull();
            if (!key.toLowerCase(java.util.Locale.ROOT).contains("password")) {
                assertThat(values).as("wrong values for the key %s", key).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("badValues")
    void aWrongValueIsRejectedNamingTheFullKeyAndTheValue(String key, String value) {
        Map<String, String> p = new HashMap<>(Map.of(PREFIX + "nodes", NODE));
        p.put(PREFIX + key, value);

        Throwable e = catchThrowable(() -> PoolConfigReader.read(POOL, p::get));

        assertThat(e).as("%s = \"%s\" is rejected", key, value).isInstanceOf(PoolConfigException.class);
        assertThat(((PoolConfigException) e).key()).isEqualTo(PREFIX + key);
        String message = e.getMessage();
        assertThat(message).startsWith(PREFIX + key + ": ").contains(" (expected: ").endsWith(")");
        if (!key.toLowerCase(java.util.Locale.ROOT).contains("pem") && !value.contains("@")) {
            assertThat(message).startsWith(PREFIX + key + ": " + value + " (expected: ");
        }
    }

    @Test
    void aBlankValueMeansUnsetAndTheDefaultApplies() {
        PoolConfig c = PoolConfigReader.read(POOL, Map.of(PREFIX + "nodes", NODE, PREFIX + "size", "  ",
                PREFIX + "timeout", "")::get);
        assertThat(c.size()).isEqualTo(10);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anEmptyOrMissingNodeListIsRejected() {
        for (String nodes : new String[] {",", " , ,"}) {
            Throwable e = catchThrowable(() -> PoolConfigReader.read(POOL, Map.of(PREFIX + "nodes", nodes)::get));
            assertThat(e).isInstanceOf(PoolConfigException.class).hasMessageStartingWith(PREFIX + "nodes: " + nodes + " (expected: ");
        }
        assertThat(catchThrowable(() -> PoolConfigReader.read(POOL, k -> null)))
                .isInstanceOf(PoolConfigException.class).hasMessageStartingWith(PREFIX + "nodes: [] (expected: ");
    }

    @Test
    void aConflictBetweenKeysNamesTheFullKey() {
        Map<String, String> p = Map.of(PREFIX + "nodes", NODE, PREFIX + "retryBackoff", "2s", PREFIX + "maxRetryBackoff", "1s");
        assertThat(catchThrowable(() -> PoolConfigReader.read(POOL, p::get)))
                .isInstanceOf(PoolConfigException.class)
                .hasMessage(PREFIX + "maxRetryBackoff: PT1S (expected: >= retryBackoff (PT2S))");
    }

    /**
     * Finding for {@code PoolConfigReader.duration}: a number of days, hours or minutes that overflows
     * {@link Duration} escapes as an {@link ArithmeticException} instead of a {@link PoolConfigException}
     * naming the key ({@code Duration.ofDays(9223372036854775807)}).
     */
    @Test
    void aDurationThatOverflowsIsRejectedNamingTheKey() {
        for (String v : new String[] {"9223372036854775807d", "9223372036854775807h", "9223372036854775807m"}) {
            Map<String, String> p = Map.of(PREFIX + "nodes", NODE, PREFIX + "requestTimeout", v);
            assertThat(catchThrowable(() -> PoolConfigReader.read(POOL, p::get))).as(v)
                    .isInstanceOf(PoolConfigException.class).hasMessageStartingWith(PREFIX + "requestTimeout: " + v);
        }
    }

    /**
     * Finding for {@code PoolConfigReader.read}: the builder shows a node's user info as {@code <redacted>}
     * ({@code nodes: https://<redacted>@vault-1:8200}), but the reader re-throws with the raw value, so a
     * password in a node URL ends up in the message (and in the OSGi component's error log).
     */
    @Test
    void aPasswordInANodeUrlIsNotEchoed() {
        Map<String, String> p = Map.of(PREFIX + "nodes", "https://admin:s3cr3t-pw@vault-1:8200");
        Throwable e = catchThrowable(() -> PoolConfigReader.read(POOL, p::get));
        assertThat(e).isInstanceOf(PoolConfigException.class);
        assertThat(e.getMessage()).doesNotContain("s3cr3t").contains("<redacted>");
    }
}
