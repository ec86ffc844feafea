package dev.vaultx.pool.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyRecorderTest {

    @Test
    void nearestRankPercentiles() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) {
            r.record(i * 1_000_000L);
        }
        LatencyRecorder.Snapshot s = r.snapshot();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.percentileMs(50)).isEqualTo(50.0);
        assertThat(s.percentileMs(90)).isEqualTo(90.0);
        assertThat(s.percentileMs(99)).isEqualTo(99.0);
        assertThat(s.maxMs()).isEqualTo(100.0);
        assertThat(s.minMs()).isEqualTo(1.0);
        assertThat(s.meanMs()).isEqualTo(50.5);
        assertThat(r.drain().count()).isEqualTo(100);
        assertThat(r.snapshot().count()).isZero();
        assertThat(r.snapshot().percentileMs(99)).isZero();
    }

    @Test
    void pastCapacityKeepsAUniformSampleAndTheExactMaximum() {
        LatencyRecorder r = new LatencyRecorder(1000);
        for (int i = 1; i <= 100_000; i++) {
            r.record(i * 1_000L);
        }
        LatencyRecorder.Snapshot s = r.snapshot();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.maxMs()).isEqualTo(100.0);
        assertThat(s.percentileMs(50)).isBetween(40.0, 60.0);
    }
}
