package dev.vaultx.pool.impl.osgi;

import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One ConfigAdmin configuration of a pool as the strings {@link PoolConfigReader} reads: every
 * pool key's value ({@code String[]}, collections and arrays joined with commas, numbers and
 * booleans as text), the pool's name, and the keys nobody knows. Immutable; thread-safe.
 */
final class ConfigurationValues {

    /** The configuration key of the pool's name; not a {@link PoolConfigReader} key. */
    static final String NAME = "name";

    /** Keys that ConfigAdmin, SCR and file installers add; never reported as unknown. */
    private static final Pattern FRAMEWORK_KEY = Pattern.compile("(service|component|felix|osgi|org\\.apache\\.felix)\\..*|\\..*");
    private static final Pattern NAME_CHARS = Pattern.compile("[^A-Za-z0-9._-]");

    private final String pid;
    private final String name;
    /** pool key to value, for the keys that have a non-blank value, in {@link PoolConfigReader#keys()} order */
    private final Map<String, String> values;
    private final List<String> unknownKeys;

    private ConfigurationValues(String pid, String name, Map<String, String> values, List<String> unknownKeys) {
        this.pid = pid;
        this.name = name;
        this.values = values;
        this.unknownKeys = unknownKeys;
    }

    /**
     * @param properties the component properties SCR passes: the configuration's properties plus
     *        {@code service.pid}, {@code component.name}, ...
     */
    static ConfigurationValues of(Map<String, ?> properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : PoolConfigReader.keys()) {
            String value = text(properties.get(key));
            if (value != null && !value.isBlank()) {
                values.put(key, PoolConfigReader.isSecret(key) ? value : value.trim()); // a password is taken as given
            }
        }
        Set<String> known = Set.copyOf(PoolConfigReader.keys());
        List<String> unknown = new ArrayList<>();
        for (String key : properties.keySet()) {
            if (!known.contains(key) && !key.equals(NAME) && !FRAMEWORK_KEY.matcher(key).matches()) {
                unknown.add(key);
            }
        }
        unknown.sort(null);
        String pid = Objects.toString(properties.get("service.pid"), PoolComponent.PID);
        String explicit = text(properties.get(NAME));
        String name = explicit != null && !explicit.isBlank() ? explicit.trim() : derivedName(properties, pid);
        return new ConfigurationValues(pid, name, Map.copyOf(values), List.copyOf(unknown));
    }

    /** @return the configuration's PID, e.g. {@code dev.vaultx.pool~payments} */
    String pid() {
        return pid;
    }

    /** @return the pool's name: the {@code name} property, or derived from the PID */
    String name() {
        return name;
    }

    /** @return the non-blank value of a pool key ({@code size}), or {@code null} */
    String get(String key) {
        return values.get(key);
    }

    /** @return configuration keys that are neither pool keys nor framework keys, sorted (typos such as {@code maxoverflow}) */
    List<String> unknownKeys() {
        return unknownKeys;
    }

    /**
     * @return the lookup {@link PoolConfigReader#read(String, Function)} needs for this pool: a full
     *         key such as {@code vaultx.pool.payments.size} gives the configuration's {@code size}
     */
    Function<String, String> lookup() {
        String prefix = PoolConfigReader.prefix(name);
        return key -> key.startsWith(prefix) ? values.get(key.substring(prefix.length())) : null;
    }

    /**
     * @return the rejection as the configuration spells it: {@code size: abc (expected: an integer)}
     *         rather than {@code vaultx.pool.payments.size: ...}
     */
    String describe(PoolConfigException e) {
        String prefix = PoolConfigReader.prefix(name);
        String message = String.valueOf(e.getMessage());
        return e.key() != null && e.key().startsWith(prefix) && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /**
     * @param other another configuration
     * @return {@code true} if both have the same name and the same value for every pool key but
     *         {@code size} and {@code maxOverflow}, the two a running pool can change in place
     */
    boolean sameExceptSizes(ConfigurationValues other) {
        if (!name.equals(other.name)) {
            return false;
        }
        for (String key : PoolConfigReader.keys()) {
            if (!key.equals("size") && !key.equals("maxOverflow") && !Objects.equals(get(key), other.get(key))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The default name of a pool whose configuration has no {@code name}: the configuration's own
     * name ({@code dev.vaultx.pool~payments}, as {@code ConfigurationAdmin.getFactoryConfiguration}
     * and current file installers create), else the file name of Felix fileinstall
     * ({@code dev.vaultx.pool-payments.cfg}), else the generated part of the PID. Characters a pool
     * name cannot hold become {@code _}.
     */
    private static String derivedName(Map<String, ?> properties, String pid) {
        String raw;
        String file = text(properties.get("felix.fileinstall.filename"));
        if (pid.contains("~")) {
            raw = pid.substring(pid.lastIndexOf('~') + 1);
        } else if (file != null && file.contains("-")) {
            String base = file.substring(file.lastIndexOf('/') + 1);
            base = base.contains(".") ? base.substring(0, base.lastIndexOf('.')) : base;
            raw = base.substring(base.indexOf('-') + 1);
        } else if (pid.startsWith(PoolComponent.PID + ".")) {
            raw = pid.substring(PoolComponent.PID.length() + 1);
        } else {
            raw = pid;
        }
        String name = NAME_CHARS.matcher(raw).replaceAll("_").replaceFirst("^[._-]+", "");
        name = name.length() > 64 ? name.substring(0, 64) : name;
        return name.isEmpty() ? "default" : name;
    }

    /** @return a configuration value as text; arrays and collections comma-separated; {@code null} stays {@code null} */
    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> c) {
            return join(new ArrayList<Object>(c));
        }
        if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return join(items);
        }
        return value.toString();
    }

    private static String join(List<Object> items) {
        StringBuilder s = new StringBuilder();
        for (Object item : items) {
            String t = item == null ? "" : item.toString().trim();
            if (!t.isEmpty()) {
                s.append(s.length() == 0 ? "" : ",").append(t);
            }
        }
        return s.toString();
    }
}
