package dev.vaultx.pool;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The environment variables of Vault's own CLI and Go client, as defaults under the explicit {@code vaultx.pool.*}
 * keys: {@link PoolConfigReader#withVaultEnvironment(String, Function, Function)}. Stateless.
 *
 * <p>{@code VAULT_SKIP_VERIFY=true} is never obeyed silently: it is refused unless
 * {@code vaultx.pool.insecureAcceptVaultSkipVerify=true} is set too, and then it turns off the host name check
 * only (the certificate chain is still verified) with a WARN.
 */
final class VaultEnvironment {

    /** The opt-in that lets {@code VAULT_SKIP_VERIFY=true} through (a full property key, read like any other). */
    static final String ACCEPT_SKIP_VERIFY = "vaultx.pool.insecureAcceptVaultSkipVerify";

    /** Variable to pool key, in documentation order. */
    static final Map<String, String> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("VAULT_ADDR", "nodes");
        VARIABLES.put("VAULT_CACERT", "tlsCaFile");
        VARIABLES.put("VAULT_CAPATH", "tlsCaPath");
        VARIABLES.put("VAULT_CLIENT_CERT", "tlsClientCertFile");
        VARIABLES.put("VAULT_CLIENT_KEY", "tlsClientKeyFile");
        VARIABLES.put("VAULT_NAMESPACE", "namespace");
        VARIABLES.put("VAULT_TLS_SERVER_NAME", "tlsServerName");
    }

    private static final System.Logger LOG = System.getLogger(VaultEnvironment.class.getName());

    private VaultEnvironment() {
    }

    /**
     * @param pool the pool's name, for the key prefix and the warning
     * @param explicit full key to value ({@code vaultx.pool.<key>}): what was set explicitly
     * @param env variable to value
     * @return pool key to value: the {@code VAULT_*} values that apply because no explicit key of the same
     *         concern is set
     * @throws PoolConfigException {@code VAULT_SKIP_VERIFY: true (expected: ...)} without the opt-in
     */
    static Map<String, String> defaults(String pool, Function<String, String> explicit, Function<String, String> env) {
        String prefix = PoolConfigReader.prefix(pool);
        Map<String, String> defaults = new LinkedHashMap<>();
        VARIABLES.forEach((variable, key) -> {
            String v = env.apply(variable);
            if (v != null && !v.isBlank() && !set(explicit, prefix + key)) {
                defaults.put(key, v.trim());
            }
        });
        // one trust source: an explicit one wins over both variables, VAULT_CACERT over VAULT_CAPATH (as Vault's Go client)
        if (set(explicit, prefix, "tlsCaFile", "tlsCaPem", "tlsCaPath", "tlsTrustStore")) {
            defaults.remove("tlsCaFile");
            defaults.remove("tlsCaPath");
        } else if (defaults.containsKey("tlsCaFile")) {
            defaults.remove("tlsCaPath");
        }
        // one client identity: an explicit one wins over both variables
        if (set(explicit, prefix, "tlsClientCertFile", "tlsClientKeyFile", "tlsKeyStore")) {
            defaults.remove("tlsClientCertFile");
            defaults.remove("tlsClientKeyFile");
        }
        if (skipVerify(env.apply("VAULT_SKIP_VERIFY")) && !set(explicit, prefix + "insecureSkipHostnameVerification")) {
            String optIn = explicit.apply(ACCEPT_SKIP_VERIFY);
            if (optIn == null || !optIn.trim().equalsIgnoreCase("true")) {
                throw new PoolConfigException("VAULT_SKIP_VERIFY", env.apply("VAULT_SKIP_VERIFY").trim(),
                        "unset or false: vaultx-pool verifies TLS certificates. Trust your CA with VAULT_CACERT or VAULT_CAPATH "
                                + "(or vaultx.pool.tlsCaFile / tlsTrustStore), and name the host the certificate was issued for "
                                + "with VAULT_TLS_SERVER_NAME; for tests only, also set " + ACCEPT_SKIP_VERIFY + "=true "
                                + "(" + PoolConfigReader.envName(ACCEPT_SKIP_VERIFY) + ") to skip the host name check");
            }
            LOG.log(System.Logger.Level.WARNING, pool + " - VAULT_SKIP_VERIFY=true accepted (" + ACCEPT_SKIP_VERIFY
                    + "=true): TLS host names are NOT verified. The certificate chain still is: trust your CA with "
                    + "VAULT_CACERT or VAULT_CAPATH. For tests only.");
            defaults.put("insecureSkipHostnameVerification", "true");
        }
        return defaults;
    }

    /** Go's {@code strconv.ParseBool}, which Vault's client uses: 1, t, true / 0, f, false in any case. */
    private static boolean skipVerify(String v) {
        if (v == null || v.isBlank()) {
            return false;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true":
                return true;
            case "0", "f", "false":
                return false;
            default:
                throw new PoolConfigException("VAULT_SKIP_VERIFY", v.trim(), "true or false (or 1, 0, t, f)");
        }
    }

    private static boolean set(Function<String, String> explicit, String fullKey) {
        String v = explicit.apply(fullKey);
        return v != null && !v.isBlank();
    }

    private static boolean set(Function<String, String> explicit, String prefix, String... keys) {
        for (String k : keys) {
            if (set(explicit, prefix + k)) {
                return true;
            }
        }
        return false;
    }
}
