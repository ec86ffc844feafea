package dev.vaultx.pool.impl.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One admission of a node's breaker: taken once, by {@link NodeBreaker#tryAcquire()}, before a try (or a
 * {@code getConnection} lease) goes to the node, and given back exactly once, by {@link #success()},
 * {@link #failure()} or {@link #neutral()}, whatever path the try leaves by. Only a permit records an outcome:
 * Failsafe's half-open state hands out a new trial for every recorded result, so a result recorded without a
 * permit, or twice, lets more trials reach a recovering node than {@code circuitBreakerHalfOpenRequests}.
 *
 * <p>A permit carries the breaker's epoch (its count of state changes) at the time it was taken. The result of
 * a permit taken before the breaker's last state change is dropped: it belongs to a state that is gone, and
 * recording it would give the new state a trial it never handed out (a late answer of a try sent while CLOSED,
 * arriving in HALF_OPEN).
 *
 * <p>This class is thread-safe: the first of the three calls wins, the others do nothing.
 */
final class BreakerPermit {

    private static final AtomicIntegerFieldUpdater<BreakerPermit> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(BreakerPermit.class, "settled");

    private final NodeBreaker breaker;
    final long epoch;
    private volatile int settled;

    BreakerPermit(NodeBreaker breaker, long epoch) {
        this.breaker = breaker;
        this.epoch = epoch;
    }

    /** The node did its part (answered, even with an error that is not its fault). */
    void success() {
        if (settle()) {
            breaker.settle(this, NodeBreaker.SUCCESS);
        }
    }

    /** The node failed the try: refused, reset, timed out, answered 5xx or sealed. */
    void failure() {
        if (settle()) {
            breaker.settle(this, NodeBreaker.FAILURE);
        }
    }

    /** The try says nothing about the node (given up by the caller, refused before sending, lease timed out). */
    void neutral() {
        if (settle()) {
            breaker.settle(this, NodeBreaker.NEUTRAL);
        }
    }

    /** @return whether the breaker has not changed state since this permit was taken (its result would count) */
    boolean isCurrent() {
        return breaker.epoch() == epoch;
    }

    /** @return whether the permit was given back */
    boolean isSettled() {
        return settled != 0;
    }

    private boolean settle() {
        return SETTLED.compareAndSet(this, 0, 1);
    }
}
