package dev.vaultx.pool.impl.cdi;

import dev.vaultx.pool.PoolConfigException;
import java.util.Locale;

/** When a CDI-managed pool starts: {@code vaultx.pool.startup} or {@code vaultx.pool.<name>.startup}. */
enum Startup {

    /** when the application starts ({@code @Initialized(ApplicationScoped.class)}); the default */
    EAGER,

    /** at the first call on the injected pool */
    LAZY;

    /** The key suffix, after {@code vaultx.pool.} or {@code vaultx.pool.<name>.}. */
    static final String KEY = "startup";

    /**
     * @param key the full key, for the message
     * @param value the value, or {@code null} for the default
     * @throws PoolConfigException {@code vaultx.pool.startup: soon (expected: eager or lazy)}
     */
    static Startup parse(String key, String value) {
        if (value == null || value.isBlank()) {
            return EAGER;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "eager":
                return EAGER;
            case "lazy":
                return LAZY;
            default:
                throw new PoolConfigException(key, value, "eager or lazy");
        }
    }
}
