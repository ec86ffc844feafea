package dev.vaultx.pool.impl.cdi;

import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The only class that touches the MicroProfile Config API; loaded only after {@link ConfigLookup}
 * found the API, so applications without it never link against it.
 */
final class MicroProfileConfig {

    private MicroProfileConfig() {
    }

    /**
     * @throws IllegalStateException if the API is there but no implementation
     */
    static Function<String, String> lookup(ClassLoader loader) {
        Config config = ConfigProvider.getConfig(loader);
        return key -> config.getOptionalValue(key, String.class).orElse(null);
    }
}
