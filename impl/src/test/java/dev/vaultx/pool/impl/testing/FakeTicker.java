package dev.vaultx.pool.impl.testing;

import dev.vaultx.pool.impl.internal.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A ticker that stands still until a test moves it: give it to a pool ({@code builder(config).ticker(fake)}) or to
 * an internal class, then {@link #advance(Duration)} it instead of sleeping. It starts far from zero, so that code
 * which treats zero as "never" is not fooled.
 *
 * <p>This class is thread-safe.
 */
public final class FakeTicker implements LongSupplier, Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the ticker forward by {@code d}. */
    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Moves the ticker forward by {@code n} nanoseconds. */
    public void advanceNanos(long n) {
        nanos.addAndGet(n);
    }
}
