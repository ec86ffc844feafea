package dev.vaultx.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolConfigReaderTest {

    @Test
    void readsTheDefaultPoolFromUnnamedKeys() {
        Map<String, String> p = Map.of(
                "vaultx.pool.nodes", "http://127.0.0.1:8200, http://127.0.0.1:8201",
                "vaultx.pool.size", "4",
                "vaultx.pool.maxOverflow", "0",
                "vaultx.pool.borrowTimeout", "250ms",
                "vaultx.pool.healthCheckInterval", "PT5S",
                "vaultx.pool.maxIdleTime", "90s",
                "vaultx.pool.overflowIdleTimeout", "2s",
                "vaultx.pool.readFromStandbys", "true",
                "vaultx.pool.balancingStrategy", "least_pending");

        PoolConfig c = PoolConfigReader.read("default", p::get);

        assertThat(c.name()).isEqualTo("default");
        assertThat(c.nodes()).containsExactly(URI.create("http://127.0.0.1:8200"), URI.create("http://127.0.0.1:8201"));
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.maxOverflow()).isZero();
        assertThat(c.borrowTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxIdleTime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.overflowIdleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.readFromStandbys()).isTrue();
        assertThat(c.balancingStrategy()).isEqualTo(BalancingStrategy.LEAST_PENDING);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsANamedPoolFromItsOwnKeysOnly() {
        Map<String, String> p = Map.of(
                "vaultx.pool.nodes", "http://127.0.0.1:1",
                "vaultx.pool.payments.nodes", "http://127.0.0.1:2",
                "vaultx.pool.payments.size", "3");

        PoolConfig c = PoolConfigReader.read("payments", p::get);

        assertThat(c.name()).isEqualTo("payments");
        assertThat(c.nodes()).containsExactly(URI.create("http://127.0.0.1:2"));
        assertThat(c.size()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "vaultx.pool.size|abc|vaultx.pool.size: abc (expected: an integer)",
            "vaultx.pool.size|0|vaultx.pool.size: 0 (expected: 1-10000)",
            "vaultx.pool.borrowTimeout|soon|vaultx.pool.borrowTimeout: soon (expected: a duration with a unit, e.g. 30s, 500ms)",
            "vaultx.pool.timeout|0s|vaultx.pool.timeout: 0s (expected: a positive duration)",
            "vaultx.pool.prewarm|yes|vaultx.pool.prewarm: yes (expected: true or false)",
            "vaultx.pool.retryBudgetRatio|2|vaultx.pool.retryBudgetRatio: 2 (expected: 0.0-1.0)",
            "vaultx.pool.maxIdleTime|99999999999999999999999|vaultx.pool.maxIdleTime: 99999999999999999999999 (expected: a duration with a unit, e.g. 30s, 500ms)",
            "vaultx.pool.timeout|30|vaultx.pool.timeout: 30 (expected: a duration with a unit, e.g. 30s, 500ms)",
            "vaultx.pool.maxIdleTime|9999999999999999999999d|vaultx.pool.maxIdleTime: 9999999999999999999999d (expected: a duration of at most 9223372036854775807 seconds)",
            "vaultx.pool.balancingStrategy|random|vaultx.pool.balancingStrategy: random (expected: one of [VAULT_AWARE, ROUND_ROBIN, LEAST_PENDING])",
    })
    void rejectsABadValueNamingTheFullKeyAndTheValue(String key, String value, String message) {
        Map<String, String> p = new HashMap<>(Map.of("vaultx.pool.nodes", "http://127.0.0.1:8200"));
        p.put(key, value);

        assertThatThrownBy(() -> PoolConfigReader.read("default", p::get))
                .isInstanceOf(PoolConfigException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((PoolConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void rejectsAMissingNodeListNamingTheKey() {
        assertThatThrownBy(() -> PoolConfigReader.read("payments", k -> null))
                .isInstanceOf(PoolConfigException.class)
                .hasMessageStartingWith("vaultx.pool.payments.nodes: ")
                .hasMessageContaining("(expected: one or more base URLs");
    }

    @Test
    void rejectsAMalformedNodeNamingTheKey() {
        Map<String, String> p = Map.of("vaultx.pool.nodes", "ftp://127.0.0.1:21");
        assertThatThrownBy(() -> PoolConfigReader.read("default", p::get))
                .hasMessageStartingWith("vaultx.pool.nodes: ftp://127.0.0.1:21 (expected: http:// or https://");
    }

    @Test
    void mapsPropertyKeysToEnvironmentVariables() {
        assertThat(PoolConfigReader.envName("vaultx.pool.nodes")).isEqualTo("VAULTX_POOL_NODES");
        assertThat(PoolConfigReader.envName("vaultx.pool.maxOverflow")).isEqualTo("VAULTX_POOL_MAX_OVERFLOW");
        assertThat(PoolConfigReader.envName("vaultx.pool.payments.circuitBreakerDelay"))
                .isEqualTo("VAULTX_POOL_PAYMENTS_CIRCUIT_BREAKER_DELAY");
    }

    @Test
    void findsThePoolNamesAmongPropertyKeys() {
        List<String> keys = List.of("vaultx.pool.nodes", "vaultx.pool.size", "vaultx.pool.payments.nodes",
                "vaultx.pool.orders.nodes", "vaultx.pool.orders.size", "other.nodes");
        assertThat(PoolConfigReader.poolNames(keys)).containsExactly("default", "payments", "orders");
    }

    @Test
    void everyBuilderKeyIsReadable() {
        assertThat(PoolConfigReader.keys()).contains("nodes", "size", "maxOverflow", "timeout", "maxIdleTime", "overflowIdleTimeout",
                "healthCheckInterval", "borrowTimeout", "circuitBreakerHalfOpenRequests", "tlsCaFile", "tlsCaPath", "tlsServerName", "tlsClientKeyPassword", "httpVersion").hasSize(46);
    }
}
