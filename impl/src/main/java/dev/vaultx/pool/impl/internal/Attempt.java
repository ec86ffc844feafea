package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;
import org.apache.hc.core5.concurrent.FutureCallback;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One try of a request on one leased connection. The first of response, failure, cancellation and
 * {@link #expire() expiry} (its {@code attemptTimeout} passed) settles it and is handed to the request;
 * the others are ignored. One object per try: it is the exchange's callback and what the request's
 * timer looks at.
 *
 * <p>This class is thread-safe: settling is a compare-and-set; the other fields are final.
 */
final class Attempt implements FutureCallback<VaultResponse>, RequestProducer.Sending {

    private static final AtomicIntegerFieldUpdater<Attempt> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(Attempt.class, "settled");

    /** How a settled try ended, handed to the request. */
    interface Outcomes {
        void onTryResponse(Attempt a, VaultResponse response);

        void onTryFailed(Attempt a, Exception ex);

        void onTryCancelled(Attempt a);

        void onTryExpired(Attempt a);
    }

    final ConnectionLease lease;
    /** The breaker admitted the try with this; its outcome gives it back. */
    final BreakerPermit permit;
    final NodeState node;
    /** Ticker time the try was sent. */
    final long startNanos;
    /** Ticker time after which the try has had its {@code attemptTimeout}. */
    final long expiresAt;
    private final Outcomes outcomes;
    private volatile int settled;
    /** Whether the request's head was handed to the connection: until then a failure proves it unsent. */
    private volatile boolean sent;

    /**
     * @param lease the connection the try is sent on
     * @param permit the breaker permit the try was admitted with
     * @param node the lease's node
     * @param startNanos when the try is sent, ticker time
     * @param attemptTimeoutNanos how long it may take
     */
    Attempt(Outcomes outcomes, ConnectionLease lease, BreakerPermit permit, NodeState node, long startNanos,
            long attemptTimeoutNanos) {
        this.outcomes = outcomes;
        this.permit = permit;
        this.lease = lease;
        this.node = node;
        this.startNanos = startNanos;
        this.expiresAt = startNanos + attemptTimeoutNanos;
    }

    private boolean settle() {
        return SETTLED.compareAndSet(this, 0, 1);
    }

    boolean isSettled() {
        return settled != 0;
    }

    @Override
    public void sending() {
        sent = true;
    }

    /** @return whether the request's head was handed to the connection (it may have reached the node) */
    boolean wasSent() {
        return sent;
    }

    /** The try's {@code attemptTimeout} passed without an answer. */
    void expire() {
        if (settle()) {
            outcomes.onTryExpired(this);
        }
    }

    @Override
    public void completed(VaultResponse response) {
        if (settle()) {
            outcomes.onTryResponse(this, response);
        }
    }

    @Override
    public void failed(Exception ex) {
        if (settle()) {
            outcomes.onTryFailed(this, ex);
        }
    }

    @Override
    public void cancelled() {
        if (settle()) {
            outcomes.onTryCancelled(this);
        }
    }
}
