package dev.vaultx.pool.testkit;

import static dev.vaultx.pool.testkit.TestHttp.get;
import static dev.vaultx.pool.testkit.TestHttp.getWithToken;
import static dev.vaultx.pool.testkit.TestHttp.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JournalTest {

    @Test
    void journalRecordsMethodPathHeadersAndBody() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(1)) {
            Instant before = Instant.now();
            write(cluster.node(0).uri(), "/v1/secret/data/j?x=1", "{\"data\":{\"a\":\"b\"}}");

            RecordedRequest r = cluster.node(0).requests().get(0);

            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.pathAndQuery()).isEqualTo("/v1/secret/data/j?x=1");
            assertThat(r.path()).isEqualTo("/v1/secret/data/j");
            assertThat(r.query()).isEqualTo("x=1");
            assertThat(r.header("x-vault-token")).hasValue(TestHttp.TOKEN);
            assertThat(r.bodyAsString()).isEqualTo("{\"data\":{\"a\":\"b\"}}");
            assertThat(r.time()).isAfterOrEqualTo(before.minusSeconds(1));
        }
    }

    @Test
    void requestCountsPerNodePrefixAndCluster() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.start(3)) {
            get(cluster.node(0).uri(), "/v1/sys/health");
            get(cluster.node(1).uri(), "/v1/sys/health");
            getWithToken(cluster.node(1).uri(), "/v1/secret/data/a");
            getWithToken(cluster.node(2).uri(), "/v1/secret/data/b");

            assertThat(cluster.node(1).requestCount()).isEqualTo(2);
            assertThat(cluster.node(1).requestCount("/v1/secret")).isEqualTo(1);
            assertThat(cluster.totalRequests("/v1/sys/health")).isEqualTo(2);
            assertThat(cluster.totalRequests("/v1/secret")).isEqualTo(2);
            assertThat(cluster.totalRequests()).isEqualTo(4);

            cluster.node(1).resetJournal();

            assertThat(cluster.node(1).requestCount()).isZero();
            assertThat(cluster.node(1).requests()).isEmpty();
            assertThat(cluster.totalRequests()).isEqualTo(2);
            cluster.resetJournals();
            assertThat(cluster.totalRequests()).isZero();
        }
    }

    @Test
    void disabledJournalStillCountsButRecordsNothing() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(1).journal(false).start()) {
            get(cluster.node(0).uri(), "/v1/sys/health");
            get(cluster.node(0).uri(), "/v1/sys/health");

            assertThat(cluster.node(0).requestCount()).isEqualTo(2);
            assertThat(cluster.node(0).requests()).isEmpty();
            assertThatThrownBy(() -> cluster.node(0).requestCount("/v1")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void journalLimitKeepsTheNewestRequests() {
        try (SimulatedVaultCluster cluster = SimulatedVaultCluster.builder().nodes(1).journalLimit(3).start()) {
            for (int i = 0; i < 5; i++) {
                get(cluster.node(0).uri(), "/v1/sys/health?n=" + i);
            }

            assertThat(cluster.node(0).requests()).extracting(RecordedRequest::query)
                    .containsExactly("n=2", "n=3", "n=4");
            assertThat(cluster.node(0).requestCount()).isEqualTo(5);
        }
    }
}
