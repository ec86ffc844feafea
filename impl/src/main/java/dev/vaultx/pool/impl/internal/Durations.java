package dev.vaultx.pool.impl.internal;

import java.time.Duration;

/**
 * Turns durations into nanoseconds without overflow. {@link Duration#toNanos()} throws beyond about 292
 * years, and a caller may pass anything (a request's {@code timeout}, {@code getConnection(timeout)},
 * {@code drain(node, timeout)}, {@code ChronoUnit.FOREVER.getDuration()}): anything longer than a century is a
 * century, forever for a pool. Stateless.
 */
final class Durations {

    static final Duration MAX = Duration.ofDays(36_500);
    static final long MAX_NANOS = MAX.toNanos();

    private Durations() {
    }

    /** @return the duration in nanoseconds, at most {@link #MAX_NANOS} */
    static long nanos(Duration d) {
        return d.compareTo(MAX) >= 0 ? MAX_NANOS : d.toNanos();
    }

    /** @return the duration, at most {@link #MAX} */
    static Duration capped(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
