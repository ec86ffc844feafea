package dev.vaultx.pool.impl.internal;

import dev.failsafe.CircuitBreaker;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolConfig;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One node's circuit breaker: a Failsafe {@link CircuitBreaker} driven through its permit API (no
 * Failsafe execution on the hot path), opened on a failure rate over a time window, plus a count of
 * consecutive failures that opens it too. A sealed or removed node opens it at once. Outcomes are recorded
 * only through a {@link BreakerPermit}, taken by {@link #tryAcquire()} and given back exactly once; a permit
 * taken before the breaker's last state change records nothing.
 *
 * <p>The open breaker's delay is measured on the pool's {@link Ticker}, not on Failsafe's clock (Failsafe 3.3
 * reads {@code System.nanoTime()} and takes no clock): Failsafe is given a delay it never reaches, each opening
 * is stamped with the ticker's time by the open listener, and {@link #tryAcquire()} moves the breaker to
 * half-open once {@code circuitBreakerDelay} has passed on the ticker since. Failsafe's own failure-rate window
 * ({@code circuitBreakerWindow}) still runs on {@code System.nanoTime()}: it counts outcomes, it does not decide
 * when anything happens.
 *
 * <p>This class is thread-safe. The state listener and the failure hook run on the thread that
 * caused the change or recorded the failure, outside any lock.
 */
final class NodeBreaker {

    static final int SUCCESS = 0;
    static final int FAILURE = 1;
    static final int NEUTRAL = 2;

    private final CircuitBreaker<Object> breaker;
    private final Ticker ticker;
    private final long delayNanos;
    private final int consecutiveThreshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /**
     * The breaker's current opening, or {@code null} while it is not open, so that {@link #isAvailable()}
     * (several calls per request) reads one local field while the breaker is closed. Every transition's listener
     * re-reads the breaker's state: an open listener stamps a new opening, the others clear the opening they saw
     * by compare-and-set (by identity: two openings at the same ticker time differ), so that listeners of racing
     * transitions, run in any order, leave the current opening here or, for the instant before its listener
     * runs, none (the breaker then refuses permits: Failsafe's delay is never reached).
     */
    private final AtomicReference<Opening> opening = new AtomicReference<>();
    /** Counts the breaker's state changes; a permit records only while it is the one the permit was taken in. */
    private final AtomicLong epoch = new AtomicLong();
    /** Run after each recorded failure; set once by the health monitor. */
    private volatile Runnable onFailure = () -> { };

    NodeBreaker(PoolConfig config, Ticker ticker, BiConsumer<CircuitState, CircuitState> onChange) {
        this.ticker = ticker;
        this.delayNanos = Durations.nanos(config.circuitBreakerDelay());
        this.consecutiveThreshold = config.circuitBreakerFailureThreshold();
        this.breaker = CircuitBreaker.builder()
                .withFailureRateThreshold(config.circuitBreakerFailureRateThreshold(),
                        config.circuitBreakerMinimumRequests(), config.circuitBreakerWindow())
                .withSuccessThreshold(config.circuitBreakerHalfOpenRequests())
                // never reached (a century: Failsafe turns it into nanoseconds, which fit): the ticker decides
                .withDelay(Durations.MAX)
                .onOpen(e -> changed(onChange, e.getPreviousState(), CircuitState.OPEN))
                .onHalfOpen(e -> changed(onChange, e.getPreviousState(), CircuitState.HALF_OPEN))
                .onClose(e -> changed(onChange, e.getPreviousState(), CircuitState.CLOSED))
                .build();
    }

    private void changed(BiConsumer<CircuitState, CircuitState> onChange, CircuitBreaker.State from, CircuitState to) {
        if (to != CircuitState.HALF_OPEN) {
            epoch.incrementAndGet(); // a move to half-open was counted before it happened (halfOpen)
        }
        Opening seen = opening.get();
        if (breaker.isOpen()) {
            if (to == CircuitState.OPEN) {
                opening.set(new Opening(ticker.nanoTime())); // a late stamp only makes the delay end later
            }
        } else if (seen != null) {
            opening.compareAndSet(seen, null); // fails if an opening was stamped since this listener looked
        }
        onChange.accept(map(from), to);
    }

    /**
     * Takes a permit for one try. The epoch is read after Failsafe granted it, so the permit belongs to the state it
     * was taken from. An open breaker whose delay has passed on the ticker moves to half-open inside this call: of
     * the threads that find the delay passed together, the one that takes the opening moves it (the epoch counted
     * first, see {@link #halfOpen}); one that finds it still moving is refused, and its try goes elsewhere.
     *
     * @return the permit, or {@code null} if the breaker is open (or still moving to half-open) or, half-open, has no
     *         trial left
     */
    BreakerPermit tryAcquire() {
        Opening o = opening.get();
        if (o != null && delayPassed(o)) {
            halfOpen(o);
        }
        if (!breaker.tryAcquirePermit()) {
            return null;
        }
        return new BreakerPermit(this, epoch.get());
    }

    long epoch() {
        return epoch.get();
    }

    /**
     * @return {@code true} unless the breaker is open and its delay has not passed on the ticker (no permit is
     *         taken and the state is not changed: the next {@link #tryAcquire()} moves it to half-open)
     */
    boolean isAvailable() {
        Opening o = opening.get();
        if (o == null || !breaker.isOpen()) {
            return true;
        }
        return delayPassed(o);
    }

    private boolean delayPassed(Opening o) {
        return ticker.nanoTime() - o.atNanos >= delayNanos;
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
            halfOpen(opening.get());
        }
    }

    /**
     * Moves the open breaker to half-open, by the one thread that takes its opening ({@code null}: not stamped yet).
     * The epoch is counted before the move, not by the listener after it: a permit taken in the half-open state
     * before the listener ran would otherwise be stale, record nothing, and keep its trial from the breaker for good
     * (Failsafe gives a half-open trial back only by recording).
     */
    private void halfOpen(Opening o) {
        if ((o == null || opening.compareAndSet(o, null)) && breaker.isOpen()) {
            epoch.incrementAndGet();
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

    /** One opening of the breaker: a new object each time, so that a compare-and-set tells two apart. */
    private static final class Opening {
        final long atNanos;

        Opening(long atNanos) {
            this.atNanos = atNanos;
        }
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
