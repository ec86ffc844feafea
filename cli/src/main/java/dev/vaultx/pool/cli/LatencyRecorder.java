package dev.vaultx.pool.cli;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Collects latencies (nanoseconds) from many threads and reports percentiles, in an HdrHistogram
 * {@link Recorder}: recording is wait-free (no lock per request, so the load driver does not measure
 * itself), values keep three significant digits, and the range grows as needed. Readers take turns.
 * This class is thread-safe.
 */
final class LatencyRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    /** Everything recorded since the start or the last {@link #drain()}; guarded by {@code this}. */
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    /** The interval histogram handed back to the recorder, so that reading allocates nothing; guarded by {@code this}. */
    private Histogram recycled;

    /** Records one latency; wait-free. Negative values count as 0. */
    void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** @return the latencies so far */
    synchronized Snapshot snapshot() {
        collect();
        return new Snapshot(total.copy());
    }

    /** @return the latencies so far, and starts over */
    synchronized Snapshot drain() {
        collect();
        Snapshot s = new Snapshot(total.copy());
        total.reset();
        return s;
    }

    private void collect() {
        recycled = recorder.getIntervalHistogram(recycled);
        total.add(recycled);
    }

    /** Latencies at one moment. Immutable. */
    static final class Snapshot {
        private final Histogram h;

        Snapshot(Histogram h) {
            this.h = h;
        }

        static Snapshot empty() {
            return new Snapshot(new Histogram(SIGNIFICANT_DIGITS));
        }

        long count() {
            return h.getTotalCount();
        }

        /**
         * @param percent 0-100
         * @return the percentile in milliseconds, 0 without samples
         */
        double percentileMs(double percent) {
            return count() == 0 ? 0 : h.getValueAtPercentile(percent) / 1e6;
        }

        double maxMs() {
            return count() == 0 ? 0 : h.getMaxValue() / 1e6;
        }

        double minMs() {
            return count() == 0 ? 0 : h.getMinValue() / 1e6;
        }

        double meanMs() {
            return count() == 0 ? 0 : h.getMean() / 1e6;
        }
    }
}
