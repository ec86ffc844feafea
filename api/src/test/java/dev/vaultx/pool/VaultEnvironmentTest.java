package dev.vaultx.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Vault's environment variables under the explicit vaultx.pool.* keys, with an injected environment. */
class VaultEnvironmentTest {

    private final Map<String, String> explicit = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private PoolConfig read() {
        return PoolConfigReader.fromVaultEnvironment("default", explicit::get, env::get);
    }

    private Function<String, String> layered() {
        return PoolConfigReader.withVaultEnvironment("default", explicit::get, env::get);
    }

    @Test
    void vaultAddrNamespaceAndServerNameConfigureThePool() {
        env.put("VAULT_ADDR", "https://10.0.0.1:8200, https://10.0.0.2:8200");
        env.put("VAULT_NAMESPACE", "team-a");
        env.put("VAULT_TLS_SERVER_NAME", "vault.example.com");

        PoolConfig c = read();

        assertThat(c.nodes()).containsExactly(URI.create("https://10.0.0.1:8200"), URI.create("https://10.0.0.2:8200"));
        assertThat(c.namespace()).contains("team-a");
        assertThat(c.tlsServerName()).contains("vault.example.com");
        assertThat(c.insecureSkipHostnameVerification()).isFalse();
    }

    @Test
    void eachVariableStandsForOneKey() {
        env.put("VAULT_ADDR", "https://vault:8200");
        env.put("VAULT_CAPATH", "/etc/vault/cas");
        env.put("VAULT_CLIENT_CERT", "/etc/vault/client.pem");
        env.put("VAULT_CLIENT_KEY", "/etc/vault/client-key.pem");

        Function<String, String> l = layered();

        assertThat(l.apply("vaultx.pool.nodes")).isEqualTo("https://vault:8200");
        assertThat(l.apply("vaultx.pool.tlsCaPath")).isEqualTo("/etc/vault/cas");
        assertThat(l.apply("vaultx.pool.tlsClientCertFile")).isEqualTo("/etc/vault/client.pem");
        assertThat(l.apply("vaultx.pool.tlsClientKeyFile")).isEqualTo("/etc/vault/client-key.pem");
        assertThat(l.apply("vaultx.pool.payments.nodes")).as("another pool's keys").isNull();
        assertThat(PoolConfigReader.vaultVariables()).containsKeys("VAULT_ADDR", "VAULT_CACERT", "VAULT_CAPATH",
                "VAULT_CLIENT_CERT", "VAULT_CLIENT_KEY", "VAULT_NAMESPACE", "VAULT_TLS_SERVER_NAME");
    }

    @Test
    void explicitSettingsWinOverVaultVariables() {
        env.put("VAULT_ADDR", "https://from-env:8200");
        env.put("VAULT_NAMESPACE", "env-ns");
        explicit.put("vaultx.pool.nodes", "https://explicit:8200");

        PoolConfig c = read();

        assertThat(c.nodes()).containsExactly(URI.create("https://explicit:8200"));
        assertThat(c.namespace()).contains("env-ns");
    }

    @Test
    void anExplicitTrustSourceReplacesBothCaVariablesAndCacertWinsOverCapath() {
        env.put("VAULT_CACERT", "/env/ca.pem");
        env.put("VAULT_CAPATH", "/env/cas");
        assertThat(layered().apply("vaultx.pool.tlsCaFile")).isEqualTo("/env/ca.pem");
        assertThat(layered().apply("vaultx.pool.tlsCaPath")).as("VAULT_CACERT wins, as in Vault's client").isNull();

        explicit.put("vaultx.pool.tlsTrustStore", "/explicit/trust.p12");
        assertThat(layered().apply("vaultx.pool.tlsCaFile")).isNull();
        assertThat(layered().apply("vaultx.pool.tlsCaPath")).isNull();
    }

    @Test
    void anExplicitClientIdentityReplacesBothClientVariables() {
        env.put("VAULT_CLIENT_CERT", "/env/client.pem");
        env.put("VAULT_CLIENT_KEY", "/env/client-key.pem");
        explicit.put("vaultx.pool.tlsKeyStore", "/explicit/client.p12");

        assertThat(layered().apply("vaultx.pool.tlsClientCertFile")).isNull();
        assertThat(layered().apply("vaultx.pool.tlsClientKeyFile")).isNull();
    }

    @Test
    void aBadValueFromAVariableIsReportedUnderTheVariablesName() {
        env.put("VAULT_ADDR", "ftp://vault:21");

        assertThatThrownBy(this::read).isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("VAULT_ADDR: ftp://vault:21 (expected: ");
    }

    @Test
    void vaultSkipVerifyIsRefusedNamingSaferSettings() {
        env.put("VAULT_ADDR", "https://vault:8200");
        env.put("VAULT_SKIP_VERIFY", "true");

        assertThatThrownBy(this::read).isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("VAULT_SKIP_VERIFY: true (expected: unset or false")
                .hasMessageContaining("VAULT_CACERT").hasMessageContaining("VAULT_CAPATH")
                .hasMessageContaining("VAULT_TLS_SERVER_NAME")
                .hasMessageContaining("VAULTX_POOL_INSECURE_ACCEPT_VAULT_SKIP_VERIFY");
    }

    @Test
    void vaultSkipVerifyWithTheOptInSkipsTheHostNameCheckOnly() {
        env.put("VAULT_ADDR", "https://vault:8200");
        env.put("VAULT_SKIP_VERIFY", "1");
        explicit.put("vaultx.pool.insecureAcceptVaultSkipVerify", "true");

        PoolConfig c = read();

        assertThat(c.insecureSkipHostnameVerification()).isTrue();
    }

    @Test
    void vaultSkipVerifyFalseOrAnExplicitSettingIsNoProblem() {
        env.put("VAULT_ADDR", "https://vault:8200");
        env.put("VAULT_SKIP_VERIFY", "false");
        assertThat(read().insecureSkipHostnameVerification()).isFalse();

        env.put("VAULT_SKIP_VERIFY", "true");
        explicit.put("vaultx.pool.insecureSkipHostnameVerification", "false");
        assertThat(read().insecureSkipHostnameVerification()).as("the explicit key wins").isFalse();

        env.put("VAULT_SKIP_VERIFY", "maybe");
        explicit.clear();
        assertThatThrownBy(this::read).hasMessageStartingWith("VAULT_SKIP_VERIFY: maybe (expected: true or false");
    }
}
