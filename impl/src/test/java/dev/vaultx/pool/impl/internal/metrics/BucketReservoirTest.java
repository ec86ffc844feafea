package dev.vaultx.pool.impl.internal.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.impl.metrics.MetricNames;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.BUCKETS;
import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.CHECK_EVERY;
import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.MAX_VALUES;
import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.bucket;
import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.lowerBound;
import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.representative;
import static dev.vaultx.pool.impl.internal.metrics.BucketReservoir.width;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

class BucketReservoirTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final long WINDOW_NANOS = WINDOW.toNanos();

    /** A clock the test moves; starts at an arbitrary tick, as System.nanoTime does. */
    private static final class FakeClock extends Clock {
        volatile long tick = -987_654_321_000L;

        @Override
        public long getTick() {
            return tick;
        }

        void advance(long nanos) {
            tick += nanos;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final BucketReservoir reservoir = new BucketReservoir(WINDOW, clock);

    // ---------------------------------------------------------------- buckets

    @Test
    void bucketsAreContiguousFromZeroToTwoToTheFortieth() {
        assertThat(lowerBound(0)).isZero();
        for (int i = 0; i + 1 < BUCKETS; i++) {
            assertThat(lowerBound(i + 1)).as("bucket %d", i + 1).isEqualTo(lowerBound(i) + width(i));
        }
        assertThat(lowerBound(BUCKETS - 1) + width(BUCKETS - 1)).isEqualTo(1L << 40);
    }

    @Test
    void valuesBelowThirtyTwoHaveABucketEach() {
        for (int v = 0; v < 32; v++) {
            assertThat(bucket(v)).isEqualTo(v);
            assertThat(representative(bucket(v))).isEqualTo(v);
        }
    }

    @Test
    void everyValueIsWithinAThirtySecondOfItsBucketsRepresentative() {
        Random random = new Random(42);
        List<Long> values = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            long p = 1L << k;
            values.addAll(List.of(p - 1, p, p + 1, p + p / 2));
        }
        for (int i = 0; i < 100_000; i++) {
            values.add(random.nextLong() >>> (24 + random.nextInt(40))); // spread over the magnitudes
        }
        for (long v : values) {
            int b = bucket(v);
            assertThat(v).as("value %d in bucket %d", v, b).isBetween(lowerBound(b), lowerBound(b) + width(b) - 1);
            assertThat((double) Math.abs(representative(b) - v)).as("value %d", v).isLessThanOrEqualTo(v / 32.0);
        }
    }

    @Test
    void hugeValuesGoToTheLastBucket() {
        assertThat(bucket(Long.MAX_VALUE)).isEqualTo(BUCKETS - 1);
        assertThat(bucket(1L << 40)).isEqualTo(BUCKETS - 1);
        assertThat(bucket((1L << 40) - 1)).isEqualTo(BUCKETS - 1);

        reservoir.update(Long.MAX_VALUE);
        reservoir.update(1L << 50);
        reservoir.update(TimeUnit.HOURS.toNanos(1));

        Snapshot s = reservoir.getSnapshot();
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.getMax()).isEqualTo(representative(BUCKETS - 1)).isLessThan(1L << 40);
        assertThat(s.getMin()).isEqualTo(representative(BUCKETS - 1));
    }

    @Test
    void negativeValuesAreIgnored() {
        reservoir.update(-1);
        reservoir.update(Long.MIN_VALUE);
        reservoir.update(7);

        Snapshot s = reservoir.getSnapshot();
        assertThat(reservoir.size()).isEqualTo(1);
        assertThat(s.getValues()).containsExactly(7);
    }

    // ---------------------------------------------------------------- snapshot statistics

    @Test
    void emptySnapshotReturnsZeros() {
        Snapshot s = reservoir.getSnapshot();

        assertThat(reservoir.size()).isZero();
        assertThat(s.size()).isZero();
        assertThat(s.getValue(0.5)).isZero();
        assertThat(s.getMedian()).isZero();
        assertThat(s.get99thPercentile()).isZero();
        assertThat(s.getMin()).isZero();
        assertThat(s.getMax()).isZero();
        assertThat(s.getMean()).isZero();
        assertThat(s.getStdDev()).isZero();
        assertThat(s.getValues()).isEmpty();
        assertThat(dump(s)).isEmpty();
    }

    @Test
    void medianAndP99AreWithinOneBucketOfTheTrueValues() {
        Random random = new Random(7);
        long[] values = new long[200_000];
        for (int i = 0; i < values.length; i++) {
            // log-normal around 2 ms, as request latencies are
            values[i] = (long) (2_000_000 * Math.exp(random.nextGaussian() * 0.8));
            reservoir.update(values[i]);
        }
        Arrays.sort(values);
        Snapshot s = reservoir.getSnapshot();

        for (double q : new double[] {0.5, 0.75, 0.95, 0.99, 0.999}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(s.getValue(q)).as("quantile %s", q).isCloseTo(exact, offset((double) width(bucket(exact))));
            assertThat(s.getValue(q)).as("quantile %s", q).isCloseTo(exact, within(exact / 32.0));
        }
        assertThat(s.getMedian()).isEqualTo(s.getValue(0.5));
        assertThat(s.get99thPercentile()).isEqualTo(s.getValue(0.99));
    }

    @Test
    void quantilesUseTheNearestRank() {
        for (int v = 1; v <= 20; v++) {
            reservoir.update(v);
        }
        Snapshot s = reservoir.getSnapshot();

        assertThat(s.getValue(0.0)).isEqualTo(1);
        assertThat(s.getValue(0.5)).isEqualTo(10);
        assertThat(s.getValue(0.51)).isEqualTo(11);
        assertThat(s.getValue(0.95)).isEqualTo(19);
        assertThat(s.getValue(1.0)).isEqualTo(20);
        assertThatThrownBy(() -> s.getValue(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.getValue(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void minMaxMeanAndStdDevOfExactValues() {
        reservoir.update(10);
        reservoir.update(20);
        reservoir.update(30);
        Snapshot s = reservoir.getSnapshot();

        assertThat(s.getMin()).isEqualTo(10);
        assertThat(s.getMax()).isEqualTo(30);
        assertThat(s.getMean()).isEqualTo(20.0);
        assertThat(s.getStdDev()).as("sample standard deviation, as UniformSnapshot").isCloseTo(10.0, offset(1e-9));
        assertThat(s.size()).isEqualTo(3);
    }

    @Test
    void minMaxAndMeanOfLargeValuesAreWithinTheBucketError() {
        long[] values = {1_000_000, 1_500_000, 2_000_000, 40_000_000};
        for (long v : values) {
            reservoir.update(v);
        }
        Snapshot s = reservoir.getSnapshot();

        assertThat((double) s.getMin()).isCloseTo(1_000_000, within(1_000_000 / 32.0));
        assertThat((double) s.getMax()).isCloseTo(40_000_000, within(40_000_000 / 32.0));
        assertThat(s.getMean()).isCloseTo(Arrays.stream(values).average().orElseThrow(), within(11_125_000 / 32.0));
        assertThat(s.getStdDev()).isPositive();
    }

    @Test
    void getValuesExpandsSmallSnapshotsAndCapsLargeOnes() {
        reservoir.update(5);
        reservoir.update(7);
        reservoir.update(5);
        assertThat(reservoir.getSnapshot().getValues()).containsExactly(5, 5, 7);

        for (int i = 0; i < 100_000; i++) {
            reservoir.update(1_000 + i * 10L);
        }
        Snapshot s = reservoir.getSnapshot();
        long[] sample = s.getValues();

        assertThat(s.size()).isEqualTo(100_003);
        assertThat(sample).hasSize(MAX_VALUES).isSorted();
        assertThat((double) sample[MAX_VALUES / 2]).isCloseTo(s.getMedian(), within(s.getMedian() / 16));
        assertThat(sample[0]).isGreaterThanOrEqualTo(s.getMin());
        assertThat(sample[MAX_VALUES - 1]).isLessThanOrEqualTo(s.getMax());
    }

    @Test
    void dumpWritesOneValueALine() {
        reservoir.update(3);
        reservoir.update(1);

        assertThat(dump(reservoir.getSnapshot())).isEqualTo("1" + System.lineSeparator() + "3" + System.lineSeparator());
    }

    // ---------------------------------------------------------------- windows

    @Test
    void snapshotCoversThePreviousAndTheCurrentWindow() {
        reservoir.update(1);
        clock.advance(WINDOW_NANOS);
        reservoir.update(2);

        assertThat(reservoir.getSnapshot().getValues()).containsExactly(1, 2);
        assertThat(reservoir.size()).isEqualTo(2);

        clock.advance(WINDOW_NANOS);
        assertThat(reservoir.getSnapshot().getValues()).containsExactly(2);
    }

    @Test
    void oldValuesLeaveTheSnapshotAfterTwoWindows() {
        reservoir.update(100);
        clock.advance(WINDOW_NANOS - 1);
        assertThat(reservoir.getSnapshot().size()).as("end of the first window").isEqualTo(1);
        clock.advance(WINDOW_NANOS);
        assertThat(reservoir.getSnapshot().size()).as("end of the second window").isEqualTo(1);

        clock.advance(1);

        assertThat(reservoir.getSnapshot().size()).isZero();
        assertThat(reservoir.size()).isZero();
    }

    @Test
    void anIdlePeriodLeavesNoStaleData() {
        reservoir.update(100);
        reservoir.getSnapshot();
        clock.advance(10 * WINDOW_NANOS);

        assertThat(reservoir.getSnapshot().size()).isZero();

        reservoir.update(20);
        assertThat(reservoir.getSnapshot().getValues()).containsExactly(20);
    }

    @Test
    void updatesAloneMoveTheWindowsAtLowRates() {
        reservoir.update(1);
        clock.advance(WINDOW_NANOS);
        reservoir.update(2);
        clock.advance(WINDOW_NANOS);
        reservoir.update(3);

        // no snapshot in between: had the updates not rotated, all three would be in window 0, now expired
        assertThat(reservoir.getSnapshot().getValues()).containsExactly(2, 3);
    }

    @Test
    void aBusyBucketNoticesTheNextWindowWithinCheckEveryUpdates() {
        for (int i = 0; i < 1_000; i++) {
            reservoir.update(5_000);
        }
        clock.advance(WINDOW_NANOS);
        for (int i = 0; i < 2 * CHECK_EVERY; i++) {
            reservoir.update(5_000);
        }
        clock.advance(WINDOW_NANOS);

        // the snapshot now covers windows 1 and 2: what window 0 took after its end is gone
        assertThat(reservoir.getSnapshot().size()).isBetween(CHECK_EVERY + 1, 2 * CHECK_EVERY);
    }

    @Test
    void aClockGoingBackwardsDoesNotHideTheCurrentWindow() {
        clock.advance(3 * WINDOW_NANOS);
        reservoir.update(9);
        clock.advance(-2 * WINDOW_NANOS);

        assertThat(reservoir.getSnapshot().getValues()).containsExactly(9);
    }

    @Test
    void aNonPositiveWindowIsRejected() {
        assertThatThrownBy(() -> new BucketReservoir(Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BucketReservoir(Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentUpdatesAreAllCounted() throws InterruptedException {
        int threads = 4;
        int perThread = 100_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    reservoir.update(1_000 + (i % 50) * 7 + id); // a few hot buckets, shared by all threads
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }

        Snapshot s = reservoir.getSnapshot();
        assertThat(s.size()).isEqualTo(threads * perThread);
        assertThat((double) s.getMin()).isCloseTo(1_000, within(1_000 / 32.0));
        assertThat((double) s.getMax()).isCloseTo(1_346, within(1_346 / 32.0));
    }

    @Test
    void aRotationDuringConcurrentUpdatesLosesNoCounts() throws InterruptedException {
        int threads = 3;
        int perThread = 200_000;
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < perThread; i++) {
                    reservoir.update(i % 5_000);
                }
            });
            w.start();
            workers.add(w);
        }
        started.await();
        clock.advance(WINDOW_NANOS); // one window on: both windows stay in the snapshot
        reservoir.getSnapshot();
        for (Thread w : workers) {
            w.join();
        }

        assertThat(reservoir.getSnapshot().size()).isEqualTo(threads * perThread);
    }

    // ---------------------------------------------------------------- in the metrics tracker

    @Test
    void theMetricsTrackerTimersUseItAndReportNodeLatencies() {
        MetricRegistry registry = new MetricRegistry();
        URI node = URI.create("http://127.0.0.1:8200");
        try (DropwizardMetricsTracker tracker = new DropwizardMetricsTracker(registry, "bucket", List.of(node),
                () -> null, i -> CircuitState.CLOSED)) {
            assertThat(tracker.nodeLatencyMillis(0)).containsExactly(-1, -1);

            for (int i = 0; i < 99; i++) {
                tracker.tryCompleted(0, 2_000_000, false);
            }
            tracker.tryCompleted(0, 50_000_000, false);
            tracker.requestCompleted(3_000_000, null);

            double[] latency = tracker.nodeLatencyMillis(0);
            assertThat(latency[0]).isCloseTo(2.0, within(2.0 / 32));
            assertThat(latency[1]).isCloseTo(2.0, within(2.0 / 32));
            Snapshot requests = registry.timer(MetricNames.pool("bucket", MetricNames.REQUESTS)).getSnapshot();
            assertThat(requests).isInstanceOf(BucketReservoir.BucketSnapshot.class);
            assertThat(requests.getMedian()).isCloseTo(3_000_000, within(3_000_000 / 32.0));
        }
    }

    private static String dump(Snapshot s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.dump(out);
        return out.toString(UTF_8);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
