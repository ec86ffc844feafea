package dev.vaultx.pool.jmx.internal;

import java.util.function.Supplier;

/**
 * Turns what the pool throws into exceptions any JMX client can unmarshal. A remote client (JConsole)
 * has only the JDK: an exception of ours, or one with a cause of ours, would arrive as an
 * {@code UnmarshalException} instead of its message. So each failure leaves as a fresh JDK exception
 * with the original message ({@code name: value (expected: ...)}) and stack trace, and no cause.
 *
 * <p>This class is thread-safe (stateless).
 */
final class ClientErrors {

    private ClientErrors() {
    }

    static void run(Runnable operation) {
        try {
            operation.run();
        } catch (RuntimeException e) {
            throw forClient(e);
        }
    }

    static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw forClient(e);
        }
    }

    static RuntimeException forClient(RuntimeException e) {
        RuntimeException copy;
        if (e instanceof IllegalArgumentException) {
            copy = new IllegalArgumentException(e.getMessage());
        } else if (e.getClass() == IllegalStateException.class || e.getClass() == UnsupportedOperationException.class) {
            copy = e.getClass() == IllegalStateException.class
                    ? new IllegalStateException(e.getMessage())
                    : new UnsupportedOperationException(e.getMessage());
        } else {
            // keep the type's name in the text: PoolClosedException, NoAvailableNodeException, ...
            copy = new IllegalStateException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** @throws IllegalArgumentException {@code timeoutMillis: -1 (expected: 0-3600000)} when out of range */
    static void checkTimeoutMillis(long timeoutMillis) {
        if (timeoutMillis < 0 || timeoutMillis > Summaries.MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("timeoutMillis: " + timeoutMillis + " (expected: 0-" + Summaries.MAX_TIMEOUT_MILLIS + ")");
        }
    }
}
