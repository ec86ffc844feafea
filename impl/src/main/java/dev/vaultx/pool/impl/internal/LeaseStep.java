package dev.vaultx.pool.impl.internal;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One request's wait for a connection to one node. It keeps the pool's waiting counts (exactly once per
 * wait: the transport hands it exactly one outcome), counts a granted connection as leased before the wait
 * ends (so that a drain never sees the node idle in between), and hands the outcome to its request's gate. It
 * carries the breaker permit the try was admitted with, which the request gives back. The wait
 * has no timer of its own: the request, listed in the pool's {@link TimeoutSweeper}, {@link #expire() expires}
 * it when {@link #expiresAt} passes, unless the pool granted it a slot by then.
 *
 * <p>This class is thread-safe: its outcome callbacks may run on any thread; the rest is final or volatile.
 */
final class LeaseStep implements FutureCallback<AsyncClientEndpoint> {

    private final RequestExecution request;
    private final PoolRuntime rt;
    final NodeState node;
    /** When the wait began, ticker time. */
    final long startNanos;
    /** When the wait is over, ticker time. */
    final long expiresAt;
    /** Whether the wait ends at the request's deadline rather than after {@code borrowTimeout}. */
    final boolean endsAtDeadline;
    /** The context of the try: its lease and its exchange share it. */
    final HttpClientContext context = HttpClientContext.create();
    /** The node's breaker admitted the try with this; the request gives it back, whatever becomes of the try. */
    final BreakerPermit permit;
    private volatile LeaseWait wait;

    LeaseStep(RequestExecution request, PoolRuntime rt, NodeState node, BreakerPermit permit, long startNanos, long waitNanos,
              boolean endsAtDeadline) {
        this.request = request;
        this.permit = permit;
        this.rt = rt;
        this.node = node;
        this.startNanos = startNanos;
        this.expiresAt = startNanos + waitNanos;
        this.endsAtDeadline = endsAtDeadline;
    }

    /**
     * Asks the transport for the connection; counts the wait. The outcome may be handed on before this returns.
     *
     * @throws RuntimeException if the transport refuses to lease (its counts are then undone)
     */
    void begin() {
        node.beginWait();
        try {
            wait = rt.transport.leaseUntimed(node, Duration.ofNanos(expiresAt - startNanos), context, this);
        } catch (RuntimeException e) {
            ended();
            throw e;
        }
    }

    /** @return whether the wait is still for a pool slot (not granted yet) and its time is over at {@code now} */
    boolean isExpired(long now) {
        LeaseWait w = wait;
        return w != null && !w.granted && now - expiresAt >= 0;
    }

    /** Fails the wait with a {@link TimeoutException} unless it was granted a slot meanwhile. */
    void expire() {
        LeaseWait w = wait;
        if (w != null) {
            w.expire(Duration.ofNanos(expiresAt - startNanos));
        }
    }

    /** The request no longer wants the connection: the wait ends as cancelled; one granted later goes back. */
    void cancel() {
        LeaseWait w = wait;
        if (w != null) {
            w.cancel();
        }
    }

    private void ended() {
        rt.pending.decrementAndGet();
        node.endWait();
    }

    @Override
    public void completed(AsyncClientEndpoint endpoint) {
        node.leased(rt.size(), rt.ticker);
        ended();
        request.onLeaseGranted(this, endpoint);
    }

    @Override
    public void failed(Exception ex) {
        ended();
        request.onLeaseFailed(this, ex);
    }

    @Override
    public void cancelled() {
        ended();
        request.onLeaseCancelled(this);
    }
}
