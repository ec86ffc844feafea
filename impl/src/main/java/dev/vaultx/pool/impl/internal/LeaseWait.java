package dev.vaultx.pool.impl.internal;

import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One lease on its way: hands exactly one outcome to the caller, and fails it with a
 * {@link TimeoutException} if its wait for a slot is over before it was granted one (connecting once granted is
 * bounded by the connect timeout, not by the wait). A wait is either queued for a slot of its node
 * ({@link NodeSlots}) or asking the manager for a connection with one. A connection granted after the caller
 * was failed, or after {@link #cancel()}, goes straight back.
 *
 * <p>This class is thread-safe.
 */
final class LeaseWait implements FutureCallback<AsyncClientEndpoint>, NodeSlots.Waiter {
    private static final AtomicIntegerFieldUpdater<LeaseWait> DONE =
            AtomicIntegerFieldUpdater.newUpdater(LeaseWait.class, "done");
    private static final AtomicIntegerFieldUpdater<LeaseWait> CLAIMED =
            AtomicIntegerFieldUpdater.newUpdater(LeaseWait.class, "claimed");

    private final HttpTransport transport;
    final NodeState node;
    final Duration wait;
    final HttpClientContext context;
    private final FutureCallback<AsyncClientEndpoint> callback;
    private volatile int done;
    /** 1 once out of the node's queue (or never in it): claimed by a release, a resize, a close or itself. */
    volatile int claimed;
    volatile boolean granted;
    /** The manager's endpoint, once the manager granted this wait a connection (then wrapped as a {@link PooledEndpoint}). */
    volatile AsyncConnectionEndpoint fromManager;

    LeaseWait(HttpTransport transport, NodeState node, Duration wait, HttpClientContext context,
              FutureCallback<AsyncClientEndpoint> callback) {
        this.transport = transport;
        this.node = node;
        this.wait = wait;
        this.context = context;
        this.callback = callback;
    }

    @Override
    public boolean claim() {
        return CLAIMED.compareAndSet(this, 0, 1);
    }

    /** Takes this wait out of its node's queue if it is still there. */
    private void leaveQueue() {
        if (claimed == 0 && claim()) {
            transport.dequeue(this);
        }
    }

    /**
     * The caller no longer wants the connection: it is told {@code cancelled()} now (unless the lease already
     * ended), and a connection granted later goes back to the pool.
     */
    void cancel() {
        // the client's own lease future is not cancelled: a connection the pool grants to a cancelled client
        // lease is never released (httpclient5 5.6 drops it). Granted later, it comes back through completed()
        leaveQueue();
        if (finish()) {
            callback.cancelled();
        }
    }

    /** The transport is closing: a queued wait is cancelled. */
    void closing() {
        if (finish()) {
            callback.cancelled();
        }
    }

    boolean isDone() {
        return done != 0;
    }

    /** Fails the wait with a {@link TimeoutException}, unless it was granted a slot or it ended already. */
    void expire(Duration wait) {
        leaveQueue();
        if (!granted && DONE.compareAndSet(this, 0, 1)) {
            callback.failed(new TimeoutException("no connection became free within " + wait.toMillis() + "ms"));
        }
    }

    private boolean finish() {
        return DONE.compareAndSet(this, 0, 1);
    }

    /** A connection, from the manager (wrapped here) or handed on by a release or taken from the kept ones. */
    @Override
    public void completed(AsyncClientEndpoint endpoint) {
        AsyncConnectionEndpoint c = fromManager;
        if (c != null && !(endpoint instanceof PooledEndpoint) && transport.keepsConnections()) {
            endpoint = new PooledEndpoint(endpoint, c);
        }
        if (finish()) {
            callback.completed(endpoint);
        } else {
            transport.release(node, endpoint, true);
        }
    }

    @Override
    public void failed(Exception ex) {
        transport.slotFreed(node);
        if (finish()) {
            callback.failed(ex);
        }
    }

    @Override
    public void cancelled() {
        transport.slotFreed(node);
        if (finish()) {
            callback.cancelled();
        }
    }
}
