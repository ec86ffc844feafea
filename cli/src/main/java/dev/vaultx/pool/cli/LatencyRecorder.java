package dev.vaultx.pool.cli;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Collects latencies (nanoseconds) from many threads and reports percentiles. Up to {@link #CAPACITY}
 * samples are all kept (64 MiB); past that a uniform random sample of that size is kept (reservoir
 * sampling), and the maximum stays exact. This class is thread-safe.
 */
final class LatencyRecorder {

    static final int CAPACITY = 8 * 1024 * 1024;

    private final int capacity;
    private long[] samples = new long[1024];
    private int count;
    private long seen;
    private long max;

    LatencyRecorder() {
        this(CAPACITY);
    }

    LatencyRecorder(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(long nanos) {
        seen++;
        max = Math.max(max, nanos);
        if (count < capacity) {
            if (count == samples.length) {
                samples = Arrays.copyOf(samples, Math.min(capacity, samples.length * 2));
            }
            samples[count++] = nanos;
        } else {
            long slot = ThreadLocalRandom.current().nextLong(seen);
            if (slot < capacity) {
                samples[(int) slot] = nanos;
            }
        }
    }

    /** @return a sorted copy of the samples so far */
    synchronized Snapshot snapshot() {
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return new Snapshot(copy, max);
    }

    /** @return a sorted copy of the samples so far, and starts over */
    synchronized Snapshot drain() {
        Snapshot s = snapshot();
        count = 0;
        seen = 0;
        max = 0;
        if (samples.length > 65_536) {
            samples = new long[1024];
        }
        return s;
    }

    /** Sorted latencies. */
    static final class Snapshot {
        private final long[] sorted;
        private final long max;

        Snapshot(long[] sorted, long max) {
            this.sorted = sorted;
            this.max = max;
        }

        static Snapshot empty() {
            return new Snapshot(new long[0], 0);
        }

        int count() {
            return sorted.length;
        }

        /**
         * @param percent 0-100
         * @return the nearest-rank percentile in milliseconds, 0 without samples
         */
        double percentileMs(double percent) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
        }

        double maxMs() {
            return sorted.length == 0 ? 0 : Math.max(max, sorted[sorted.length - 1]) / 1e6;
        }

        double minMs() {
            return sorted.length == 0 ? 0 : sorted[0] / 1e6;
        }

        double meanMs() {
            if (sorted.length == 0) {
                return 0;
            }
            double sum = 0;
            for (long s : sorted) {
                sum += s;
            }
            return sum / sorted.length / 1e6;
        }
    }
}
