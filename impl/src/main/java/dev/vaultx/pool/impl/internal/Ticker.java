package dev.vaultx.pool.impl.internal;

/**
 * A source of monotonic nanoseconds, injected so that time-dependent logic can be tested without
 * sleeping. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** The system ticker: {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds, from an arbitrary origin */
    long nanoTime();
}
