package dev.vaultx.pool.cli;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolConfigBuilder;
import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The connection options of the commands that talk to real nodes ({@code probe}, {@code load}), each defaulting
 * to the Vault variable Vault's own CLI reads, through {@link PoolConfigReader#withVaultEnvironment}: so a shell
 * set up for {@code vault} (VAULT_ADDR, VAULT_CACERT, VAULT_CLIENT_CERT, ...) works unchanged. An option given
 * wins over a {@code VAULTX_POOL_*} variable, which wins over the {@code VAULT_*} one. Not thread-safe (picocli
 * fills it once per run).
 */
final class VaultOptions {

    /** Option of each pool key, for messages. */
    static final Map<String, String> OPTION_OF_KEY = Map.of(
            "nodes", "--nodes", "tlsCaFile", "--ca-cert", "tlsCaPath", "--ca-path", "tlsClientCertFile", "--client-cert",
            "tlsClientKeyFile", "--client-key", "tlsServerName", "--tls-server-name", "namespace", "--namespace");

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM file of the CA certificates that sign the nodes' certificates (default: $VAULT_CACERT; "
                    + "else the JVM's trusted CAs).")
    String caCert;

    @Option(names = "--ca-path", paramLabel = "DIR",
            description = "Directory of PEM CA certificate files (default: $VAULT_CAPATH).")
    String caPath;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "PEM client certificate for Vault's cert auth, with --client-key (default: $VAULT_CLIENT_CERT).")
    String clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "Its PEM private key: PKCS#8, PKCS#1 RSA, SEC1 EC, or encrypted PKCS#8 with the password in "
                    + "$VAULTX_POOL_TLS_CLIENT_KEY_PASSWORD (default: $VAULT_CLIENT_KEY).")
    String clientKey;

    @Option(names = "--tls-server-name", paramLabel = "NAME",
            description = "Host name to send in SNI and verify in the nodes' certificates instead of each node's host "
                    + "(default: $VAULT_TLS_SERVER_NAME).")
    String tlsServerName;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "Vault Enterprise namespace, sent as X-Vault-Namespace by load (default: $VAULT_NAMESPACE; "
                    + "probe ignores it: sys/health is not namespaced).")
    String namespace;

    /**
     * Builds the configuration of a command's pool.
     *
     * @param nodes the {@code --nodes} option, or {@code null} for {@code VAULT_ADDR}
     * @param env the environment (VAULT_*, VAULTX_POOL_*)
     * @param more the command's own settings, applied last
     * @throws ParameterException naming the option or the environment variable of a bad or missing value (exit code 2)
     */
    PoolConfig config(CommandSpec spec, String name, String nodes, Function<String, String> env, UnaryOperator<PoolConfigBuilder> more) {
        Map<String, String> given = new HashMap<>();
        put(given, "nodes", nodes == null ? null : String.join(",", VaultxPoolCli.splitNodes(nodes)));
        put(given, "tlsCaFile", caCert);
        put(given, "tlsCaPath", caPath);
        put(given, "tlsClientCertFile", clientCert);
        put(given, "tlsClientKeyFile", clientKey);
        put(given, "tlsServerName", tlsServerName);
        put(given, "namespace", namespace);
        String prefix = PoolConfigReader.prefix("default");
        Function<String, String> explicit = key -> {
            String v = given.get(key);
            return v != null ? v : env.apply(PoolConfigReader.envName(key));
        };
        if (blank(explicit.apply(prefix + "nodes")) && blank(env.apply("VAULT_ADDR"))) {
            throw new ParameterException(spec.commandLine(),
                    "Missing required option: '--nodes=URL[,URL...]' (or the environment variable VAULT_ADDR)");
        }
        try {
            PoolConfig read = PoolConfigReader.fromVaultEnvironment("default", explicit, env);
            return more.apply(read.toBuilder().name(name)).build();
        } catch (PoolConfigException e) {
            throw invalid(spec, e, given);
        }
    }

    /** @return a parameter error naming where the bad value came from: an option, or an environment variable */
    private static ParameterException invalid(CommandSpec spec, PoolConfigException e, Map<String, String> given) {
        String message = e.getMessage();
        if (e.key().startsWith("VAULT_")) {
            return new ParameterException(spec.commandLine(), "Invalid value in the environment variable " + e.key() + ": " + message, e);
        }
        if (e.key().startsWith("vaultx.pool.")) {
            String key = e.key().substring("vaultx.pool.".length());
            if (!given.containsKey(e.key())) {
                return new ParameterException(spec.commandLine(), "Invalid value in the environment variable "
                        + PoolConfigReader.envName(e.key()) + ": " + message, e);
            }
            return new ParameterException(spec.commandLine(), "Invalid value for option '" + OPTION_OF_KEY.getOrDefault(key, "--" + key)
                    + "': " + message.substring("vaultx.pool.".length()), e);
        }
        // from the command's own options (--size, ...), checked by the builder
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + VaultxPoolCli.optionOf(e.key()) + "': " + message, e);
    }

    private static void put(Map<String, String> given, String key, String value) {
        if (value != null && !value.isBlank()) {
            given.put(PoolConfigReader.prefix("default") + key, value);
        }
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }
}
