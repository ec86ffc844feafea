package dev.vaultx.pool.impl;

import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.testkit.RecordedRequest;
import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import dev.vaultx.pool.testkit.SimulatedVaultNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.TestPools.read;
import static dev.vaultx.pool.impl.TestPools.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes on a real simulated cluster (an active node and a performance standby, on 127.0.0.1): the
 * {@code X-Vault-Index} states of writes are merged as Vault's Go client merges them, and reads on the standby
 * carry the newest.
 */
@Timeout(60)
class ReadYourWritesTest {

    private SimulatedVaultCluster cluster;
    private AsyncHttpConnectionPool pool;

    @BeforeEach
    void start() {
        cluster = SimulatedVaultCluster.builder().roles(NodeRole.ACTIVE, NodeRole.PERFORMANCE_STANDBY).vaultIndex(true).start();
        pool = TestPools.startReady(TestPools.config(cluster).readFromStandbys(true).readYourWrites(true).build(), cluster);
    }

    @AfterEach
    void stop() {
        Closing.closeAll(pool, cluster);
    }

    @Test
    void standbyReadCarriesNewestIndexWhenWritesAnswerOutOfOrder() throws Exception {
        SimulatedVaultNode active = cluster.node(0);
        SimulatedVaultNode standby = cluster.node(1);
        // the first write is done (and gets the older index) first, but its answer is held back
        active.slowPath("/v1/secret/data/first", Duration.ofMillis(800));
        CompletableFuture<VaultResponse> first = pool.requestAsync(write("first", "{\"data\":{\"n\":1}}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.secret("first").isPresent());
        VaultResponse second = pool.requestAsync(write("second", "{\"data\":{\"n\":2}}")).get(5, TimeUnit.SECONDS);
        assertThat(first).as("the first write is still waiting for its answer").isNotDone();
        VaultResponse firstAnswer = first.get(5, TimeUnit.SECONDS);

        String older = firstAnswer.header("X-Vault-Index").orElseThrow();
        String newer = second.header("X-Vault-Index").orElseThrow();
        assertThat(localIndex(older)).as("precondition: the write answered last has the older index").isLessThan(localIndex(newer));

        standby.resetJournal();
        for (int i = 0; i < 40 && standby.requestCount("/v1/secret") == 0; i++) {
            assertThat(pool.request(read("second")).status()).isEqualTo(200);
        }
        List<RecordedRequest> reads = standby.requests().stream().filter(r -> r.path().startsWith("/v1/secret")).toList();
        assertThat(reads).as("reads served by the performance standby").isNotEmpty();
        for (RecordedRequest r : reads) {
            assertThat(r.headers().get("X-Vault-Index")).as("the index lines of a standby read").containsExactly(newer);
        }
    }

    @Test
    void readsOnTheActiveNodeCarryNoIndex() throws Exception {
        pool.request(write("w", "{\"data\":{\"n\":1}}"));
        cluster.node(0).resetJournal();

        for (int i = 0; i < 40 && cluster.node(0).requestCount("/v1/secret") == 0; i++) {
            pool.request(read("w"));
        }

        List<RecordedRequest> reads = cluster.node(0).requests().stream().filter(r -> r.path().startsWith("/v1/secret")).toList();
        assertThat(reads).isNotEmpty().allSatisfy(r -> assertThat(r.header("X-Vault-Index")).isEmpty());
    }

    /** @return the local WAL index of a state: base64 of {@code v1:cluster:local:replicated:hmac} */
    private static long localIndex(String state) {
        String plain = new String(Base64.getDecoder().decode(state), StandardCharsets.UTF_8);
        return Long.parseLong(plain.split(":")[2]);
    }
}
