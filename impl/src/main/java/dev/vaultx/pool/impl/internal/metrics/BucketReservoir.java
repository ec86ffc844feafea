package dev.vaultx.pool.impl.internal.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A cheap Dropwizard {@link Reservoir} for latencies: counts per log-linear bucket, over a sliding
 * pair of time windows. It replaces the exponentially decaying reservoir on the pool's hot path,
 * whose update (an {@code exp}, a random number and a skip-list insert) costs about 100 ns.
 *
 * <h2>Buckets</h2>
 * Log-linear, like HdrHistogram at low precision: values 0..31 have a bucket each (exact); above,
 * every power of two [2<sup>k</sup>, 2<sup>k+1</sup>) is split into 16 buckets of equal width
 * 2<sup>k-4</sup>. A bucket is thus at most 1/16 as wide as its lower bound, and its
 * <em>representative</em>, the midpoint {@code lower + width / 2}, is within 1/32 (~ 3.1 %) of any
 * value counted in it. Values of 2<sup>40</sup> and more (as nanoseconds, ~ 18.3 minutes) count in
 * the last bucket, [2<sup>40</sup> - 2<sup>35</sup>, 2<sup>40</sup>), whose representative is about
 * 1.08 x 10<sup>12</sup>. There are {@value #BUCKETS} buckets. <b>Negative values are ignored</b>
 * (not counted): a negative duration is a clock or caller error, not a latency of zero; Dropwizard's
 * {@code Timer} drops them before they reach a reservoir anyway.
 *
 * <h2>Recency</h2>
 * Counts go to the <em>current</em> of two windows of fixed length (the constructor's
 * {@code window}, 60 s in production); when a window's time is up the current window becomes the
 * <em>previous</em> one and the old previous one, cleared, the current one. Window {@code n} covers
 * the clock ticks [{@code start + n*window}, {@code start + (n+1)*window}). A snapshot covers the
 * previous and the current window, so values leave it between one and two windows after they were
 * recorded (the default Dropwizard reservoir instead weights the last ~5 minutes most).
 *
 * <p>To keep {@link #update} cheap the clock ({@code System.nanoTime}, 25-30 ns) is not read on
 * every update. An update reads it only when the bucket count it just incremented is at most
 * {@value #EAGER_CHECKS} or a multiple of {@value #CHECK_EVERY}; {@link #getSnapshot()} and
 * {@link #size()} always read it. Rotation is therefore noticed at once at low rates (counts stay
 * small) and within {@value #CHECK_EVERY} updates of a busy bucket at high rates. The approximations,
 * accepted for the speed:
 * <ul>
 *   <li>updates racing a rotation may count in the window that is ending rather than the new one
 *       (an update that reads the clock and finds a new window moves its count there);</li>
 *   <li>if traffic drops from many updates per bucket to a few per window and nobody takes a
 *       snapshot, up to {@value #CHECK_EVERY} - 1 updates per bucket can still land in a window whose
 *       time is over; they then leave the snapshot early (if no snapshot is taken for two windows,
 *       before any sees them). A reporter that takes a snapshot at least once per window (which
 *       rotates the windows) avoids this;</li>
 *   <li>a thread stalled for more than a whole window between picking the current window and
 *       incrementing its bucket counts its value in whichever window reuses that array.</li>
 * </ul>
 * A snapshot ignores any window whose epoch is not the current or the previous one, so after an idle
 * period it never shows old data, and a clock that goes backwards never hides the current window.
 *
 * <h2>Snapshots</h2>
 * {@link #getSnapshot()} returns the distribution as if every value were its bucket's
 * representative: quantiles (nearest rank, no interpolation), min, max and mean are within a
 * bucket's error (at most ~3.1 %) of the exact figures of the covered values, and the standard
 * deviation is that of the representatives. {@link Snapshot#getValues()} returns at most {@value #MAX_VALUES} values (the
 * size of Dropwizard's default reservoirs): every covered value's representative, sorted, while there
 * are no more than that, otherwise the representatives at {@value #MAX_VALUES} evenly spaced ranks.
 *
 * <h2>Thread safety</h2>
 * This class is thread-safe. {@link #update} is lock-free, allocation-free and O(1): one volatile
 * read, a bucket index from {@link Long#numberOfLeadingZeros} and shifts, and one atomic increment,
 * plus occasionally a clock read. The thread that notices a window's end claims the rotation with a
 * compare-and-set and clears the {@value #BUCKETS} counts of the recycled window; threads that lose
 * the claim do not wait. Snapshots are immutable; taking one is O(buckets) and does not block
 * updates.
 */
public final class BucketReservoir implements Reservoir {

    /** Bits of sub-bucket index per power of two: 16 sub-buckets. */
    static final int SUB_BITS = 4;
    static final int SUB = 1 << SUB_BITS;
    /** Values from 2^MAX_EXPONENT on count in the last bucket. */
    static final int MAX_EXPONENT = 40;
    /** The largest value with a bucket of its own; larger ones are clamped to it. */
    static final long MAX_VALUE = (1L << MAX_EXPONENT) - 1;
    /** The number of buckets: 0..31, then 16 per power of two from 2^5 to 2^39. */
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 1) << SUB_BITS;
    /** An update checks the clock while its bucket's count is at most this... */
    static final int EAGER_CHECKS = 16;
    /** ...and then each time the count reaches a multiple of this (a power of two). */
    static final int CHECK_EVERY = 64;
    /** The most values {@link Snapshot#getValues()} returns. */
    static final int MAX_VALUES = 1028;
    /** The production window. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    private static final long[] EMPTY = new long[0];

    /** One window's counts; recycled. */
    private static final class Window {
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
        /** The window number; written (after the counts were cleared) only by the rotating thread. */
        volatile long epoch;

        Window(long epoch) {
            this.epoch = epoch;
        }
    }

    private final Clock clock;
    private final long windowNanos;
    private final long origin;
    private final Window first;
    private final Window second;
    /** The window updates go to: {@link #first} or {@link #second}. */
    private volatile Window current;
    /** Claimed by the thread that rotates the windows. */
    private final AtomicBoolean rotating = new AtomicBoolean();

    /** A reservoir with the {@link #DEFAULT_WINDOW} on the default clock ({@code System.nanoTime}). */
    public BucketReservoir() {
        this(DEFAULT_WINDOW, Clock.defaultClock());
    }

    /**
     * @param window the length of each of the two windows; a snapshot covers between one and two
     * @param clock the time source, in nanoseconds ({@link Clock#getTick()})
     * @throws IllegalArgumentException if {@code window} is not positive
     */
    public BucketReservoir(Duration window, Clock clock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.clock = clock;
        this.windowNanos = window.toNanos();
        this.origin = clock.getTick();
        this.first = new Window(0);
        this.second = new Window(-1);
        this.current = first;
    }

    /**
     * @param value a value, {@code >= 0}
     * @return the index of the bucket that counts it
     */
    static int bucket(long value) {
        long v = Math.min(value, MAX_VALUE);
        // the exponent, at least SUB_BITS: values below 2^(SUB_BITS+1) land at index v itself
        int shift = (63 - Long.numberOfLeadingZeros(v | SUB)) - SUB_BITS;
        return (shift << SUB_BITS) + (int) (v >>> shift);
    }

    /** @return the smallest value of bucket {@code index} */
    static long lowerBound(int index) {
        if (index < SUB) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        return (long) ((index & (SUB - 1)) | SUB) << shift;
    }

    /** @return how many values bucket {@code index} holds */
    static long width(int index) {
        return index < SUB ? 1 : 1L << ((index >>> SUB_BITS) - 1);
    }

    /** @return the value reported for bucket {@code index}: its midpoint */
    static long representative(int index) {
        return lowerBound(index) + (width(index) >>> 1);
    }

    /** Counts {@code value} in the current window; negative values are ignored. */
    @Override
    public void update(long value) {
        if (value < 0) {
            return;
        }
        Window w = current;
        int i = bucket(value);
        long c = w.counts.incrementAndGet(i);
        if (c <= EAGER_CHECKS || (c & (CHECK_EVERY - 1)) == 0) {
            rotateIfDue(epochNow());
            Window now = current;
            if (now != w) {
                // this value was recorded in the new window: move it there
                w.counts.decrementAndGet(i);
                now.counts.incrementAndGet(i);
            }
        }
    }

    /** @return the number of values the snapshot would cover now (capped at {@code Integer.MAX_VALUE}) */
    @Override
    public int size() {
        long n = 0;
        for (long c : counts()) {
            n += c;
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    @Override
    public Snapshot getSnapshot() {
        return new BucketSnapshot(counts());
    }

    private long epochNow() {
        return Math.floorDiv(clock.getTick() - origin, windowNanos);
    }

    /** Makes the window of {@code epoch} current, unless that is done or another thread is at it. */
    private void rotateIfDue(long epoch) {
        Window cur = current;
        if (epoch <= cur.epoch || !rotating.compareAndSet(false, true)) {
            return;
        }
        try {
            cur = current;
            if (epoch > cur.epoch) {
                // the other window is (at best) the previous one, about to expire: updates do not go there
                Window next = cur == first ? second : first;
                AtomicLongArray counts = next.counts;
                for (int i = 0; i < BUCKETS; i++) {
                    counts.set(i, 0);
                }
                next.epoch = epoch;
                current = next;
                // when epoch > cur.epoch + 1, cur is older than the previous window: snapshots skip it
            }
        } finally {
            rotating.set(false);
        }
    }

    /** @return the bucket counts of the previous and the current window, summed */
    private long[] counts() {
        long now = epochNow();
        rotateIfDue(now);
        // a clock that went backwards must not hide the current window
        long epoch = Math.max(now, current.epoch);
        long[] sum = new long[BUCKETS];
        add(first, epoch, sum);
        add(second, epoch, sum);
        return sum;
    }

    private static void add(Window w, long epoch, long[] sum) {
        long e = w.epoch;
        if (e != epoch && e != epoch - 1) {
            return;
        }
        long[] copy = new long[BUCKETS];
        AtomicLongArray counts = w.counts;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        if (w.epoch != e) {
            return; // recycled while we read: it held a window that has expired since
        }
        for (int i = 0; i < BUCKETS; i++) {
            // a count moved out of a window just recycled can leave it at -1
            sum[i] += Math.max(0, copy[i]);
        }
    }

    /**
     * The distribution of a {@link BucketReservoir}'s buckets, as if each value were its bucket's
     * representative (midpoint). Immutable.
     */
    static final class BucketSnapshot extends Snapshot {

        /** Representatives of the non-empty buckets, ascending. */
        private final long[] values;
        /** {@code cumulative[i]}: how many values are at most {@code values[i]}. */
        private final long[] cumulative;
        private final long count;
        private final double mean;
        private final double stdDev;

        /** @param counts the count of each bucket, {@link #BUCKETS} of them */
        BucketSnapshot(long[] counts) {
            int n = 0;
            for (long c : counts) {
                if (c > 0) {
                    n++;
                }
            }
            values = new long[n];
            cumulative = new long[n];
            long total = 0;
            double sum = 0;
            for (int i = 0, j = 0; i < counts.length; i++) {
                long c = counts[i];
                if (c > 0) {
                    values[j] = representative(i);
                    total += c;
                    cumulative[j] = total;
                    sum += (double) values[j] * c;
                    j++;
                }
            }
            count = total;
            mean = total == 0 ? 0 : sum / total;
            if (total <= 1) {
                stdDev = 0;
            } else {
                // two passes, as Dropwizard's UniformSnapshot: the sample standard deviation (n - 1)
                double squares = 0;
                for (int j = 0; j < n; j++) {
                    double d = values[j] - mean;
                    squares += d * d * (cumulative[j] - (j == 0 ? 0 : cumulative[j - 1]));
                }
                stdDev = Math.sqrt(squares / (total - 1));
            }
        }

        /**
         * @param quantile in [0, 1]
         * @return the representative of the bucket holding the value of rank {@code ceil(quantile*n)}
         *         (at least 1), or 0 if the snapshot is empty
         */
        @Override
        public double getValue(double quantile) {
            if (quantile < 0.0 || quantile > 1.0 || Double.isNaN(quantile)) {
                throw new IllegalArgumentException(quantile + " is not in [0..1]");
            }
            if (count == 0) {
                return 0.0;
            }
            return values[indexOfRank(rank(quantile))];
        }

        private long rank(double quantile) {
            return Math.max(1, Math.min(count, (long) Math.ceil(quantile * count)));
        }

        /** @return the index in {@link #values} of the value of 1-based {@code rank} */
        private int indexOfRank(long rank) {
            int i = Arrays.binarySearch(cumulative, rank);
            return i >= 0 ? i : -i - 1;
        }

        /** @return the number of values covered, capped at {@code Integer.MAX_VALUE} */
        @Override
        public int size() {
            return (int) Math.min(count, Integer.MAX_VALUE);
        }

        /**
         * @return the representatives, sorted: one per value if there are at most {@value BucketReservoir#MAX_VALUES}
         *         values, else those at {@value BucketReservoir#MAX_VALUES} evenly spaced ranks
         */
        @Override
        public long[] getValues() {
            if (count == 0) {
                return EMPTY;
            }
            if (count <= MAX_VALUES) {
                long[] out = new long[(int) count];
                int k = 0;
                for (int j = 0; j < values.length; j++) {
                    long upTo = cumulative[j];
                    while (k < upTo) {
                        out[k++] = values[j];
                    }
                }
                return out;
            }
            long[] out = new long[MAX_VALUES];
            int j = 0;
            for (int k = 0; k < MAX_VALUES; k++) {
                // the middle rank of the k-th of MAX_VALUES equal slices, 1-based
                long rank = 1 + (long) ((k + 0.5) * count / MAX_VALUES);
                while (cumulative[j] < rank) {
                    j++;
                }
                out[k] = values[j];
            }
            return out;
        }

        /** @return the representative of the highest non-empty bucket, or 0 */
        @Override
        public long getMax() {
            return values.length == 0 ? 0 : values[values.length - 1];
        }

        /** @return the representative of the lowest non-empty bucket, or 0 */
        @Override
        public long getMin() {
            return values.length == 0 ? 0 : values[0];
        }

        /** @return the mean of the representatives of the values, or 0 */
        @Override
        public double getMean() {
            return mean;
        }

        /** @return the sample standard deviation of the representatives of the values, or 0 for fewer than two */
        @Override
        public double getStdDev() {
            return stdDev;
        }

        /** Writes {@link #getValues()}, one a line, and closes {@code output} (as Dropwizard's snapshots do). */
        @Override
        public void dump(OutputStream output) {
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(output, UTF_8))) {
                for (long value : getValues()) {
                    out.printf("%d%n", value);
                }
            }
        }
    }
}
