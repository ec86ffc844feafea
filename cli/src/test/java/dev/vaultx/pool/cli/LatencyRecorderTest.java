package dev.vaultx.pool.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyRecorderTest {

    @Test
    void percentilesOfKnownLatenciesWithinHdrHistogramsPrecision() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) {
            r.record(i * 1_000_000L);
        }
        LatencyRecorder.Snapshot s = r.snapshot();
        assertThat(s.count()).isEqualTo(100);
        // three significant digits: within 0.1 %
        assertThat(s.percentileMs(50)).isCloseTo(50.0, within(0.05));
        assertThat(s.percentileMs(90)).isCloseTo(90.0, within(0.09));
        assertThat(s.percentileMs(99)).isCloseTo(99.0, within(0.1));
        assertThat(s.maxMs()).isCloseTo(100.0, within(0.1));
        assertThat(s.minMs()).isCloseTo(1.0, within(0.001));
        assertThat(s.meanMs()).isCloseTo(50.5, within(0.05));
    }

    @Test
    void drainStartsOverAndSnapshotKeepsCounting() {
        LatencyRecorder r = new LatencyRecorder();
        r.record(1_000_000L);
        assertThat(r.snapshot().count()).isEqualTo(1);
        r.record(2_000_000L);
        assertThat(r.snapshot().count()).as("snapshots are cumulative").isEqualTo(2);

        assertThat(r.drain().count()).isEqualTo(2);
        assertThat(r.snapshot().count()).isZero();
        assertThat(r.snapshot().percentileMs(99)).isZero();
        assertThat(LatencyRecorder.Snapshot.empty().maxMs()).isZero();
    }

    @Test
    void recordsFromManyThreadsWithoutLosingAny() {
        LatencyRecorder r = new LatencyRecorder();
        CompletableFuture<?>[] writers = IntStream.range(0, 4).mapToObj(t -> CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= 100_000; i++) {
                r.record(i * 1_000L);
            }
        })).toArray(CompletableFuture[]::new);
        long seenWhileWriting = 0;
        while (!CompletableFuture.allOf(writers).isDone()) {
            seenWhileWriting = r.snapshot().count(); // a reader does not stop or lose the writers' values
        }
        LatencyRecorder.Snapshot s = r.snapshot();
        assertThat(s.count()).isEqualTo(400_000).isGreaterThanOrEqualTo(seenWhileWriting);
        assertThat(s.maxMs()).isCloseTo(100.0, within(0.1));
        assertThat(s.percentileMs(50)).isCloseTo(50.0, within(0.05));
    }
}
