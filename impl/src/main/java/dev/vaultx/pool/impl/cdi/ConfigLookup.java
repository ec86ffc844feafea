package dev.vaultx.pool.impl.cdi;

import dev.vaultx.pool.PoolConfigReader;
import java.util.ServiceConfigurationError;
import java.util.function.Function;

/**
 * Where the CDI integration reads {@code vaultx.pool.*}: MicroProfile Config when the application
 * has it (its own sources and ordinals: system properties, environment, {@code
 * META-INF/microprofile-config.properties}, server-specific sources), then system properties, then
 * the environment variable of {@link PoolConfigReader#envName(String)} ({@code VAULTX_POOL_MAX_OVERFLOW},
 * which MicroProfile's own environment mapping would spell {@code VAULTX_POOL_MAXOVERFLOW}).
 */
final class ConfigLookup implements Function<String, String> {

    private static final String MP_CONFIG_PROVIDER = "org.eclipse.microprofile.config.ConfigProvider";

    private final Function<String, String> microProfile;

    private ConfigLookup(Function<String, String> microProfile) {
        this.microProfile = microProfile;
    }

    /**
     * @param loader the application's class loader (MicroProfile Config is per application)
     * @return a lookup through MicroProfile Config if {@code loader} sees an implementation, else
     *         through system properties and the environment only
     */
    static ConfigLookup detect(ClassLoader loader) {
        try {
            Class.forName(MP_CONFIG_PROVIDER, false, loader);
        } catch (ClassNotFoundException | LinkageError absent) {
            return new ConfigLookup(null);
        }
        // the API alone is not enough: ConfigProvider.getConfig throws without an implementation
        try {
            return new ConfigLookup(MicroProfileConfig.lookup(loader));
        } catch (IllegalStateException | ServiceConfigurationError | LinkageError noImplementation) {
            return new ConfigLookup(null);
        }
    }

    /** @return {@code true} if values come from MicroProfile Config first */
    boolean usesMicroProfileConfig() {
        return microProfile != null;
    }

    /** @return where values are read, for messages */
    String describe() {
        return (microProfile != null ? "MicroProfile Config, " : "") + "system properties, environment variables";
    }

    @Override
    public String apply(String key) {
        if (microProfile != null) {
            String v = microProfile.apply(key);
            if (v != null) {
                return v;
            }
        }
        String v = System.getProperty(key);
        return v != null ? v : System.getenv(PoolConfigReader.envName(key));
    }
}
