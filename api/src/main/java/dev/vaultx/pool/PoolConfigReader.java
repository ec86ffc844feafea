package dev.vaultx.pool;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a {@link PoolConfig} from string properties: system properties, environment variables,
 * MicroProfile Config, OSGi ConfigAdmin. Keys are {@code vaultx.pool.<key>} for the pool named
 * {@code default} and {@code vaultx.pool.<name>.<key>} for a named pool; environment variables are
 * the same upper-cased with {@code _} for {@code .} and before each capital
 * ({@code VAULTX_POOL_MAX_OVERFLOW}, {@code VAULTX_POOL_PAYMENTS_NODES}).
 *
 * <p>Values: durations with a unit, {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code 1h}, or ISO-8601
 * ({@code PT30S}); a bare number is refused ({@code vaultx.pool.timeout: 30 (expected: a duration with a unit, e.g.
 * 30s, 500ms)}), see {@link #parseDuration(String, String)}; booleans {@code true}/{@code false};
 * {@code nodes} comma-separated; files as paths; {@code httpVersion} as {@code HTTP_1_1}, {@code HTTP_2} (or
 * {@code http/1.1}, {@code http/2}). A bad value fails with
 * {@code vaultx.pool.payments.size: abc (expected: an integer)}; the value of a secret key
 * ({@link #isSecret(String)}, the passwords) shows as {@code <redacted>}.
 *
 * <p>This class is thread-safe (stateless).
 */
public final class PoolConfigReader {

    private static final Map<String, BiConsumer<PoolConfigBuilder, String>> KEYS = new LinkedHashMap<>();
    /** Keys whose values are never shown (nor trimmed: a password is taken as given). */
    private static final Set<String> SECRETS = Set.of("tlsTrustStorePassword", "tlsKeyStorePassword", "tlsClientKeyPassword");

    static {
        KEYS.put("nodes", (b, v) -> b.nodes(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()));
        KEYS.put("size", (b, v) -> b.size(integer(v)));
        KEYS.put("maxOverflow", (b, v) -> b.maxOverflow(integer(v)));
        KEYS.put("timeout", (b, v) -> b.timeout(duration(v)));
        KEYS.put("maxIdleTime", (b, v) -> b.maxIdleTime(duration(v)));
        KEYS.put("overflowIdleTimeout", (b, v) -> b.overflowIdleTimeout(duration(v)));
        KEYS.put("healthCheckInterval", (b, v) -> b.healthCheckInterval(duration(v)));
        KEYS.put("healthCheckTimeout", (b, v) -> b.healthCheckTimeout(duration(v)));
        KEYS.put("borrowTimeout", (b, v) -> b.borrowTimeout(duration(v)));
        KEYS.put("requestTimeout", (b, v) -> b.requestTimeout(duration(v)));
        KEYS.put("attemptTimeout", (b, v) -> b.attemptTimeout(duration(v)));
        KEYS.put("validateAfterInactivity", (b, v) -> b.validateAfterInactivity(duration(v)));
        KEYS.put("shutdownTimeout", (b, v) -> b.shutdownTimeout(duration(v)));
        KEYS.put("maxPendingRequests", (b, v) -> b.maxPendingRequests(integer(v)));
        KEYS.put("maxResponseBytes", (b, v) -> b.maxResponseBytes(integer(v)));
        KEYS.put("ioThreads", (b, v) -> b.ioThreads(integer(v)));
        KEYS.put("prewarm", (b, v) -> b.prewarm(bool(v)));
        KEYS.put("namespace", PoolConfigBuilder::namespace);
        KEYS.put("balancingStrategy", (b, v) -> b.balancingStrategy(strategy(v)));
        KEYS.put("readFromStandbys", (b, v) -> b.readFromStandbys(bool(v)));
        KEYS.put("readYourWrites", (b, v) -> b.readYourWrites(bool(v)));
        KEYS.put("followRedirects", (b, v) -> b.followRedirects(bool(v)));
        KEYS.put("maxRetries", (b, v) -> b.maxRetries(integer(v)));
        KEYS.put("retryBackoff", (b, v) -> b.retryBackoff(duration(v)));
        KEYS.put("maxRetryBackoff", (b, v) -> b.maxRetryBackoff(duration(v)));
        KEYS.put("retryBudgetRatio", (b, v) -> b.retryBudgetRatio(decimal(v)));
        KEYS.put("retryBudgetMinPerSecond", (b, v) -> b.retryBudgetMinPerSecond(integer(v)));
        KEYS.put("circuitBreakerFailureThreshold", (b, v) -> b.circuitBreakerFailureThreshold(integer(v)));
        KEYS.put("circuitBreakerFailureRateThreshold", (b, v) -> b.circuitBreakerFailureRateThreshold(integer(v)));
        KEYS.put("circuitBreakerMinimumRequests", (b, v) -> b.circuitBreakerMinimumRequests(integer(v)));
        KEYS.put("circuitBreakerWindow", (b, v) -> b.circuitBreakerWindow(duration(v)));
        KEYS.put("circuitBreakerDelay", (b, v) -> b.circuitBreakerDelay(duration(v)));
        KEYS.put("circuitBreakerHalfOpenRequests", (b, v) -> b.circuitBreakerHalfOpenRequests(integer(v)));
        KEYS.put("tlsCaFile", (b, v) -> b.tlsCaFile(path(v)));
        KEYS.put("tlsCaPem", PoolConfigBuilder::tlsCaPem);
        KEYS.put("tlsTrustStore", (b, v) -> b.tlsTrustStore(path(v)));
        KEYS.put("tlsTrustStorePassword", PoolConfigBuilder::tlsTrustStorePassword);
        KEYS.put("tlsClientCertFile", (b, v) -> b.tlsClientCertFile(path(v)));
        KEYS.put("tlsClientKeyFile", (b, v) -> b.tlsClientKeyFile(path(v)));
        KEYS.put("tlsClientKeyPassword", PoolConfigBuilder::tlsClientKeyPassword);
        KEYS.put("tlsCaPath", (b, v) -> b.tlsCaPath(path(v)));
        KEYS.put("tlsServerName", PoolConfigBuilder::tlsServerName);
        KEYS.put("tlsKeyStore", (b, v) -> b.tlsKeyStore(path(v)));
        KEYS.put("tlsKeyStorePassword", PoolConfigBuilder::tlsKeyStorePassword);
        KEYS.put("insecureSkipHostnameVerification", (b, v) -> b.insecureSkipHostnameVerification(bool(v)));
        KEYS.put("httpVersion", (b, v) -> b.httpVersion(httpVersion(v)));
    }

    private PoolConfigReader() {
    }

    /** @return every configuration key, e.g. {@code nodes}, {@code size}, in documentation order */
    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    /**
     * @param key a configuration key, e.g. {@code tlsKeyStorePassword}
     * @return whether its value is a secret: never logged, shown or put in a message (it shows as {@code <redacted>})
     */
    public static boolean isSecret(String key) {
        return SECRETS.contains(key);
    }

    /**
     * @param pool the pool's name; {@code default} reads the unnamed keys
     * @return the property prefix of that pool: {@code vaultx.pool.} or {@code vaultx.pool.<pool>.}
     */
    public static String prefix(String pool) {
        return "default".equals(pool) ? "vaultx.pool." : "vaultx.pool." + pool + ".";
    }

    /**
     * Reads one pool's configuration.
     *
     * @param pool the pool's name (also {@link PoolConfig#name()})
     * @param lookup gives the value of a full property key ({@code vaultx.pool.payments.size}), or {@code null}
     * @return the configuration
     * @throws PoolConfigException naming the full key and the value (never a secret) on a bad or missing value
     */
    public static PoolConfig read(String pool, Function<String, String> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        PoolConfigBuilder b = PoolConfig.builder().name(pool);
        String prefix = prefix(pool);
        for (Map.Entry<String, BiConsumer<PoolConfigBuilder, String>> e : KEYS.entrySet()) {
            String key = prefix + e.getKey();
            String value = lookup.apply(key);
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                e.getValue().accept(b, isSecret(e.getKey()) ? value : value.trim());
            } catch (PoolConfigException bad) {
                String expected = bad.getMessage().replaceFirst("^.*\\(expected: (.*)\\)$", "$1");
                throw new PoolConfigException(key, shown(e.getKey(), value), expected);
            }
        }
        try {
            return b.build();
        } catch (PoolConfigException missing) {
            throw new PoolConfigException(prefix + missing.key(), missing.getMessage().replaceFirst("^[^:]*: (.*) \\(expected: .*$", "$1"),
                    missing.getMessage().replaceFirst("^.*\\(expected: (.*)\\)$", "$1"));
        }
    }

    /**
     * Reads one pool's configuration from system properties, then environment variables.
     *
     * @see #read(String, Function)
     */
    public static PoolConfig fromSystem(String pool) {
        return read(pool, PoolConfigReader::systemLookup);
    }

    /**
     * Reads the pool {@code default} as Vault's own CLI would connect: explicit {@code vaultx.pool.*} keys (system
     * properties, then {@code VAULTX_POOL_*} environment variables) first, then Vault's variables
     * {@code VAULT_ADDR} (one URL or comma-separated URLs), {@code VAULT_CACERT}, {@code VAULT_CAPATH},
     * {@code VAULT_CLIENT_CERT}, {@code VAULT_CLIENT_KEY}, {@code VAULT_NAMESPACE}, {@code VAULT_TLS_SERVER_NAME}.
     *
     * @return the configuration
     * @throws PoolConfigException on a bad or missing value, naming the key or the variable; for
     *         {@code VAULT_SKIP_VERIFY=true} without {@code vaultx.pool.insecureAcceptVaultSkipVerify=true}
     * @see #withVaultEnvironment(String, Function, Function)
     */
    public static PoolConfig fromVaultEnvironment() {
        return fromVaultEnvironment("default", PoolConfigReader::systemLookup, System::getenv);
    }

    /**
     * Like {@link #fromVaultEnvironment()}, for any pool and with the lookups given (tests, other sources).
     *
     * @param pool the pool's name
     * @param lookup full key ({@code vaultx.pool.size}) to value, or {@code null}: the explicit settings
     * @param env environment variable to value, or {@code null}: where {@code VAULT_*} are read
     * @return the configuration
     * @throws PoolConfigException on a bad or missing value, naming the key or the variable
     */
    public static PoolConfig fromVaultEnvironment(String pool, Function<String, String> lookup, Function<String, String> env) {
        try {
            return read(pool, withVaultEnvironment(pool, lookup, env));
        } catch (PoolConfigException e) {
            // a bad value that came from a VAULT_* variable is reported under the variable's name
            String prefix = prefix(pool);
            for (Map.Entry<String, String> v : VaultEnvironment.VARIABLES.entrySet()) {
                String explicit = lookup.apply(prefix + v.getValue());
                String fromEnv = env.apply(v.getKey());
                if (e.key().equals(prefix + v.getValue()) && (explicit == null || explicit.isBlank()) && fromEnv != null) {
                    String message = e.getMessage();
                    throw new PoolConfigException(v.getKey(), message.replaceFirst("^[^:]*: (.*) \\(expected: .*$", "$1"),
                            message.replaceFirst("^.*\\(expected: (.*)\\)$", "$1"));
                }
            }
            throw e;
        }
    }

    /**
     * Puts Vault's environment variables under explicit settings. Each variable stands for one key:
     * {@code VAULT_ADDR} for {@code nodes}, {@code VAULT_CACERT} for {@code tlsCaFile}, {@code VAULT_CAPATH} for
     * {@code tlsCaPath}, {@code VAULT_CLIENT_CERT} / {@code VAULT_CLIENT_KEY} for {@code tlsClientCertFile} /
     * {@code tlsClientKeyFile}, {@code VAULT_NAMESPACE} for {@code namespace}, {@code VAULT_TLS_SERVER_NAME} for
     * {@code tlsServerName}. Precedence: an explicit key wins over its variable; an explicit trust source
     * ({@code tlsCaFile}, {@code tlsCaPem}, {@code tlsCaPath}, {@code tlsTrustStore}) over both CA variables, and
     * {@code VAULT_CACERT} over {@code VAULT_CAPATH} (as Vault's client); an explicit client identity over both
     * client variables. {@code VAULT_SKIP_VERIFY=true} is refused with a message naming safer settings, unless
     * {@code vaultx.pool.insecureAcceptVaultSkipVerify=true} is set too: then host names go unverified (the chain
     * is still verified), with a WARN.
     *
     * @param pool the pool's name
     * @param lookup full key to value: the explicit settings
     * @param env environment variable to value
     * @return a lookup for {@link #read(String, Function)}
     * @throws PoolConfigException for {@code VAULT_SKIP_VERIFY} as above
     */
    public static Function<String, String> withVaultEnvironment(String pool, Function<String, String> lookup,
                                                                Function<String, String> env) {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(env, "env");
        Map<String, String> defaults = VaultEnvironment.defaults(pool, lookup, env);
        String prefix = prefix(pool);
        return key -> {
            String v = lookup.apply(key);
            if (v != null && !v.isBlank()) {
                return v;
            }
            return key.startsWith(prefix) ? defaults.get(key.substring(prefix.length())) : null;
        };
    }

    /** @return Vault's environment variables this reader honours, each with the key it stands for, in order */
    public static Map<String, String> vaultVariables() {
        return java.util.Collections.unmodifiableMap(VaultEnvironment.VARIABLES);
    }

    private static String systemLookup(String key) {
        String v = System.getProperty(key);
        return v != null ? v : System.getenv(envName(key));
    }

    /** @return the environment variable for a property key: {@code vaultx.pool.maxOverflow} → {@code VAULTX_POOL_MAX_OVERFLOW} */
    public static String envName(String key) {
        StringBuilder s = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                s.append('_');
            }
            s.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
        }
        return s.toString();
    }

    /** @return the names of the pools configured with {@code vaultx.pool.<name>.nodes} among these property keys */
    public static List<String> poolNames(Iterable<String> propertyKeys) {
        List<String> names = new ArrayList<>();
        for (String k : propertyKeys) {
            if (k.equals("vaultx.pool.nodes") && !names.contains("default")) {
                names.add("default");
            } else if (k.startsWith("vaultx.pool.") && k.endsWith(".nodes")) {
                String name = k.substring("vaultx.pool.".length(), k.length() - ".nodes".length());
                if (!name.isEmpty() && !name.contains(".") && !names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** @return a value as messages may show it: secrets as {@code <redacted>}, PEM text by its length */
    private static String shown(String key, String value) {
        if (isSecret(key)) {
            return TlsChecks.REDACTED;
        }
        if (key.equals("nodes")) {
            // user info in a URL may carry a password: never echo it
            return value.replaceAll("//[^/@\\s,]*@", "//<redacted>@");
        }
        return key.equals("tlsCaPem") ? TlsChecks.shownPem(value) : value;
    }

    private static Path path(String v) {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new PoolConfigException("value", v, "a file path");
        }
    }

    private static HttpVersion httpVersion(String v) {
        String s = v.toUpperCase(Locale.ROOT).replace('/', '_').replace('.', '_').replace('-', '_');
        try {
            return HttpVersion.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new PoolConfigException("value", v, "one of " + Arrays.toString(HttpVersion.values()));
        }
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new PoolConfigException("value", v, "an integer");
        }
    }

    private static double decimal(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new PoolConfigException("value", v, "a decimal number such as 0.2");
        }
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new PoolConfigException("value", v, "true or false");
    }

    private static BalancingStrategy strategy(String v) {
        try {
            return BalancingStrategy.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new PoolConfigException("value", v, "one of " + Arrays.toString(BalancingStrategy.values()));
        }
    }

    /**
     * Parses a duration as every configuration source and the command line write it: a number with a unit
     * ({@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code 1h}, {@code 1d}; also {@code ns}, {@code us})
     * or ISO-8601 ({@code PT30S}). A bare number other than {@code 0} is refused: it was milliseconds for Vaultx and
     * seconds for the command line, so it is ambiguous.
     *
     * @param name the key or option the value belongs to, named in the error
     * @param value the text
     * @return the duration
     * @throws PoolConfigException {@code name: 30 (expected: a duration with a unit, e.g. 30s, 500ms)}
     */
    public static Duration parseDuration(String name, String value) {
        return Durations.parse(name, value);
    }

    /**
     * @param duration a duration
     * @return its short form as {@link #parseDuration(String, String)} reads it: {@code 500ms}, {@code 20s}, {@code 1.5s}
     */
    public static String formatDuration(Duration duration) {
        return Durations.format(duration);
    }

    private static Duration duration(String v) {
        return Durations.parse("value", v);
    }
}
