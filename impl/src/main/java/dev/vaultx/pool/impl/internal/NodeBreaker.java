package dev.vaultx.pool.impl.internal;

import dev.failsafe.CircuitBreaker;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolConfig;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One node's circuit breaker: a Failsafe {@link CircuitBreaker} driven through its permit API (no
 * Failsafe execution on the hot path), opened on a failure rate over a time window, plus a count of
 * consecutive failures that opens it too. A sealed or removed node opens it at once. Outcomes are recorded
 * only through a {@link BreakerPermit}, taken by {@link #tryAcquire()} and given back exactly once; a permit
 * taken before the breaker's last state change records nothing.
 *
 * <p>This class is thread-safe. The state listener and the failure hook run on the thread that
 * caused the change or recorded the failure, outside any lock.
 */
final class NodeBreaker {

    static final int SUCCESS = 0;
    static final int FAILURE = 1;
    static final int NEUTRAL = 2;

    private final CircuitBreaker<Object> breaker;
    private final int consecutiveThreshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /**
     * Whether the breaker was open after its last transition, so that {@link #isAvailable()} (several calls per
     * request) reads one local field while the breaker is closed. Re-read from the breaker by every transition's
     * listener, so that listeners of racing transitions, run in any order, still leave the breaker's state here.
     */
    private volatile boolean open;
    /** Counts the breaker's state changes; a permit records only while it is the one the permit was taken in. */
    private final AtomicLong epoch = new AtomicLong();
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
        epoch.incrementAndGet();
        open = breaker.isOpen();
        onChange.accept(map(from), to);
    }

    /**
     * Takes a permit for one try. The epoch is read after Failsafe granted it: an open breaker whose delay has
     * passed moves to half-open inside this call (its listener, which counts the epoch, runs before the permit is
     * taken from the new state), so the permit belongs to the state it was taken from.
     *
     * @return the permit, or {@code null} if the breaker is open or, half-open, has no trial left
     */
    BreakerPermit tryAcquire() {
        if (!breaker.tryAcquirePermit()) {
            return null;
        }
        return new BreakerPermit(this, epoch.get());
    }

    long epoch() {
        return epoch.get();
    }

    /** @return {@code true} unless the breaker is open and its delay has not passed (no permit is taken) */
    boolean isAvailable() {
        if (!open || !breaker.isOpen()) {
            return true;
        }
        return breaker.getRemainingDelay().isZero();
    }

    /**
     * Records the outcome of a permit, once (the permit sees to that). A stale permit records nothing; its failure
     * still runs the failure hook, which only hints.
     */
    void settle(BreakerPermit permit, int outcome) {
        boolean current = permit.epoch == epoch.get();
        if (outcome == SUCCESS) {
            if (current) {
                if (consecutiveFailures.get() != 0) {
                    consecutiveFailures.set(0); // read first: a write per success would bounce the line between I/O threads
                }
                breaker.recordSuccess();
            }
        } else if (outcome == FAILURE) {
            if (current) {
                breaker.recordFailure();
                if (consecutiveFailures.incrementAndGet() >= consecutiveThreshold && breaker.isClosed()) {
                    breaker.open();
                }
            }
            onFailure.run();
        } else if (current && !breaker.isClosed()) {
            // neutral: nothing to count, but Failsafe 3.3 gives a half-open trial back only by recording, so it is
            // recorded as a success (the node did nothing wrong), never as a failure
            breaker.recordSuccess();
        }
    }

    /** @param hook run after each failure settled (after the breaker has counted it); a hint, so stale ones too */
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
