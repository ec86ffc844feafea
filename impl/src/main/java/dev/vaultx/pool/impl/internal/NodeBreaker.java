package dev.vaultx.pool.impl.internal;

import dev.failsafe.CircuitBreaker;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolConfig;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One node's circuit breaker: a Failsafe {@link CircuitBreaker} driven through its permit API (no
 * Failsafe execution on the hot path), opened on a failure rate over a time window, plus a count of
 * consecutive failures that opens it too. A sealed or removed node opens it at once.
 *
 * <p>This class is thread-safe. The state listener and the failure hook run on the thread that
 * caused the change or recorded the failure, outside any lock.
 */
final class NodeBreaker {

    private final CircuitBreaker<Object> breaker;
    private final int consecutiveThreshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /**
     * Whether the breaker was open after its last transition, so that {@link #isAvailable()} (several calls per
     * request) reads one local field while the breaker is closed. Re-read from the breaker by every transition's
     * listener, so that listeners of racing transitions, run in any order, still leave the breaker's state here.
     */
    private volatile boolean open;
    /** Run after each recorded failure; set once by the health monitor. */
    private volatile Runnable onFailure = () -> { };

    NodeBreaker(PoolConfig config, BiConsumer<CircuitState, CircuitState> onChange) {
        this.consecutiveThreshold = config.circuitBreakerFailureThreshold();
        this.breaker = CircuitBreaker.builder()
                .withFailureRateThreshold(config.circuitBreakerFailureRateThreshold(),
                        config.circuitBreakerMinimumRequests(), config.circuitBreakerWindow())
                .withSuccessThreshold(config.circuitBreakerHalfOpenRequests())
                .withDelay(config.circuitBreakerDelay())
                .onOpen(e -> changed(onChange, e.getPreviousState(), CircuitState.OPEN))
                .onHalfOpen(e -> changed(onChange, e.getPreviousState(), CircuitState.HALF_OPEN))
                .onClose(e -> changed(onChange, e.getPreviousState(), CircuitState.CLOSED))
                .build();
    }

    private void changed(BiConsumer<CircuitState, CircuitState> onChange, CircuitBreaker.State from, CircuitState to) {
        open = breaker.isOpen();
        onChange.accept(map(from), to);
    }

    /** @return {@code true} if a request may be sent; in half-open state this takes one of the bounded trial permits */
    boolean tryAcquire() {
        return breaker.tryAcquirePermit();
    }

    /** @return {@code true} unless the breaker is open and its delay has not passed (no permit is taken) */
    boolean isAvailable() {
        if (!open || !breaker.isOpen()) {
            return true;
        }
        return breaker.getRemainingDelay().isZero();
    }

    void recordSuccess() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0); // read first: a write per success would bounce the line between I/O threads
        }
        breaker.recordSuccess();
    }

    /**
     * A try that says nothing about the node (the request was refused before a byte was sent): nothing is
     * recorded while the breaker is closed. A half-open breaker's trial permit, taken by {@link #tryAcquire()},
     * must be given back, and Failsafe 3.3 gives permits back only by recording: it is recorded as a success
     * (the node did nothing wrong), never as a failure.
     */
    void recordNeutral() {
        if (!breaker.isClosed()) {
            breaker.recordSuccess();
        }
    }

    void recordFailure() {
        breaker.recordFailure();
        if (consecutiveFailures.incrementAndGet() >= consecutiveThreshold && breaker.isClosed()) {
            breaker.open();
        }
        onFailure.run();
    }

    /** @param hook run after each failure recorded by {@link #recordFailure()} (after the breaker has counted it) */
    void onFailure(Runnable hook) {
        this.onFailure = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** Opens the breaker now, e.g. because a probe found the node sealed. */
    void forceOpen() {
        if (!breaker.isOpen()) {
            breaker.open();
        }
    }

    /** Moves an open breaker to half-open at once (a probe found the node healthy): trial requests decide. */
    void halfOpenIfOpen() {
        if (breaker.isOpen()) {
            breaker.halfOpen();
        }
    }

    /** Closes the breaker and forgets its failures (operator reset, or a healthy probe of an open node). */
    void reset() {
        consecutiveFailures.set(0);
        if (!breaker.isClosed()) {
            breaker.close();
        }
    }

    int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    CircuitState state() {
        return map(breaker.getState());
    }

    private static CircuitState map(CircuitBreaker.State s) {
        switch (s) {
            case OPEN:
                return CircuitState.OPEN;
            case HALF_OPEN:
                return CircuitState.HALF_OPEN;
            default:
                return CircuitState.CLOSED;
        }
    }
}
