package dev.vaultx.pool.itest.osgi;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition that SCR, ConfigAdmin or the pool bring about asynchronously. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Await() {
    }

    /**
     * @param what the awaited state, for the failure message
     * @param probe gives the value once it is there: not {@code null} and not {@code false}
     * @return the value
     * @throws AssertionError if it is not there within {@link #TIMEOUT}
     */
    static <T> T until(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
