package dev.vaultx.pool.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram in nanoseconds, log-linear: 32 sub-buckets per power of two, so a
 * percentile is exact to within ~3 %. One {@code getAndIncrement} per record: cheap enough that
 * every client pays the same small price for it. Thread-safe.
 */
public final class Histogram {

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);
    private final LongAdder total = new LongAdder();

    public void record(long nanos) {
        counts.getAndIncrement(index(Math.max(0, nanos)));
        total.increment();
    }

    public long count() {
        return total.sum();
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        return (e - SUB_BITS + 1) * SUB + (int) ((v >>> (e - SUB_BITS)) & (SUB - 1));
    }

    /** @return the upper end of the values of bucket {@code i} (a percentile reported is never an underestimate) */
    static long upper(int i) {
        if (i < SUB) {
            return i;
        }
        int e = i / SUB - 1 + SUB_BITS;
        long sub = i % SUB;
        return ((SUB + sub + 1) << (e - SUB_BITS)) - 1;
    }

    /**
     * @param q a quantile in [0, 1]
     * @return the value in nanoseconds at that quantile, 0 when empty
     */
    public long quantile(double q) {
        long n = 0;
        long[] c = new long[counts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < c.length; i++) {
            seen += c[i];
            if (seen >= rank) {
                return upper(i);
            }
        }
        return upper(c.length - 1);
    }
}
