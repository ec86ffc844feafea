package dev.vaultx.pool.impl.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The merge of {@code X-Vault-Index} states, case by case as in Vault's Go client {@code api/client.go}. */
class ReplicationStatesTest {

    private static final String HMAC = "3f9a";

    /** A state as Vault writes it: base64 of {@code v1:cluster:local:replicated:hmac}. */
    private static String state(String cluster, long local, long replicated) {
        return encode("v1:" + cluster + ":" + Long.toUnsignedString(local) + ":" + Long.toUnsignedString(replicated) + ":" + HMAC);
    }

    private static String encode(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstStateIsKept() {
        String s = state("c", 5, 0);

        assertThat(ReplicationStates.merge(List.of(), s)).containsExactly(s);
    }

    @Test
    void newerStateOfTheSameClusterReplacesTheOlder() {
        String older = state("c", 5, 2);
        String newer = state("c", 6, 2);

        assertThat(ReplicationStates.merge(List.of(older), newer)).containsExactly(newer);
    }

    @Test
    void olderStateOfTheSameClusterDoesNotMoveTheKeptOneBack() {
        String newer = state("c", 6, 2);
        String older = state("c", 5, 2);

        assertThat(ReplicationStates.merge(List.of(newer), older)).containsExactly(newer);
    }

    @Test
    void equalStateIsKeptOnce() {
        String s = state("c", 6, 2);

        assertThat(ReplicationStates.merge(List.of(s), state("c", 6, 2))).containsExactly(s);
    }

    @Test
    void statesNeitherNewerInBothIndexesAreBothKeptSorted() {
        String a = state("c", 5, 1);
        String b = state("c", 4, 2);

        List<String> merged = ReplicationStates.merge(List.of(a), b);

        assertThat(merged).containsExactlyInAnyOrder(a, b).isSorted();
    }

    @Test
    void stateNewerThanBothMixedOnesReplacesThem() {
        List<String> kept = ReplicationStates.merge(List.of(state("c", 5, 1)), state("c", 4, 2));

        assertThat(ReplicationStates.merge(kept, state("c", 5, 2))).containsExactly(state("c", 5, 2));
    }

    @Test
    void moreThanTwoKeptStatesAreReplacedByTheNextAsInTheGoClient() {
        List<String> two = ReplicationStates.merge(List.of(state("c", 5, 1)), state("c", 4, 2));
        List<String> three = ReplicationStates.merge(two, state("c", 6, 0));
        assertThat(three).hasSize(3);

        // Go: len(old) > 2 returns []string{new}, even an older one
        assertThat(ReplicationStates.merge(three, state("c", 1, 0))).containsExactly(state("c", 1, 0));
    }

    @Test
    void stateOfAnotherClusterReplacesTheKeptOnesAsInTheGoClient() {
        String other = state("other", 1, 0);

        assertThat(ReplicationStates.merge(List.of(state("c", 9, 9)), other)).containsExactly(other);
    }

    @Test
    void unparseableStateFromTheServerIsKeptAndReplacedByTheNextValidOne() {
        String garbage = "not base64 at all";
        List<String> kept = ReplicationStates.merge(List.of(state("c", 9, 9)), garbage);
        assertThat(kept).containsExactly(garbage);

        String next = state("c", 1, 0);
        assertThat(ReplicationStates.merge(kept, next)).containsExactly(next);
    }

    @Test
    void indexesCompareAsUnsigned64BitNumbers() {
        String max = state("c", -1L, 0); // 18446744073709551615
        String one = state("c", 1, 0);

        assertThat(ReplicationStates.parse(max)).isEqualTo(new ReplicationStates.WalState("c", -1L, 0));
        assertThat(ReplicationStates.merge(List.of(max), one)).containsExactly(max);
    }

    @Test
    void parseAcceptsVaultsFormatOnly() {
        assertThat(ReplicationStates.parse(state("c-1", 7, 3))).isEqualTo(new ReplicationStates.WalState("c-1", 7, 3));
        assertThat(ReplicationStates.parse(encode("v1:c:7:3:"))).as("empty hmac is hex").isNotNull();
        assertThat(ReplicationStates.parse(encode("v1:c:7:3"))).as("no hmac: '3' is odd-length hex").isNull();
        assertThat(ReplicationStates.parse(encode("v1:c:7:3:zz"))).as("hmac not hex").isNull();
        assertThat(ReplicationStates.parse(encode("v2:c:7:3:" + HMAC))).as("version").isNull();
        assertThat(ReplicationStates.parse(encode("v1::7:3:" + HMAC))).as("empty cluster id").isNull();
        assertThat(ReplicationStates.parse(encode("v1:c:+7:3:" + HMAC))).as("sign").isNull();
        assertThat(ReplicationStates.parse(encode("v1:c:18446744073709551616:3:" + HMAC))).as("overflow").isNull();
        assertThat(ReplicationStates.parse(encode("v1:c:7:3:x:" + HMAC))).as("five pieces").isNull();
        String padded = encode("v1:c:7:3:" + HMAC);
        assertThat(padded).endsWith("=");
        assertThat(ReplicationStates.parse(padded.replace("=", ""))).as("padding is required").isNull();
    }

    @Test
    void recordIgnoresAnEmptyHeader() {
        ReplicationStates states = new ReplicationStates();
        states.record(state("c", 1, 0));

        states.record("");
        states.record(null);

        assertThat(states.current()).containsExactly(state("c", 1, 0));
    }

    @Test
    void concurrentRecordsKeepTheNewestState() throws Exception {
        ReplicationStates states = new ReplicationStates();
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        states.record(state("c", (long) i * threads + offset + 1, 0));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(states.current()).containsExactly(state("c", (long) threads * perThread, 0));
    }
}
