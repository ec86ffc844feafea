package dev.vaultx.pool.impl.internal;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.reactor.IOSession;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.util.concurrent.Future;

/**
 * The connection manager as {@link HttpTransport}'s client sees it: marks the current {@link LeaseWait} once the
 * pool grants it a slot, and reports each connection once it is connected.
 *
 * <p>This class is thread-safe; it adds no state of its own to the manager's but the thread-local lease.
 */
final class SlotTracking implements AsyncClientConnectionManager {

    /** Set while the transport asks the client for a lease, which asks this manager for a pool slot on the same thread. */
    static final ThreadLocal<LeaseWait> LEASING = new ThreadLocal<>();

    private final AsyncClientConnectionManager delegate;
    private final java.util.function.Consumer<org.apache.hc.core5.net.NamedEndpoint> connected;

    SlotTracking(AsyncClientConnectionManager delegate,
                 java.util.function.Consumer<org.apache.hc.core5.net.NamedEndpoint> connected) {
        this.delegate = delegate;
        this.connected = connected;
    }

    @Override
    public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, Object state, Timeout requestTimeout,
                                                 FutureCallback<AsyncConnectionEndpoint> callback) {
        LeaseWait lw = LEASING.get();
        if (lw == null) {
            return delegate.lease(id, route, state, requestTimeout, callback);
        }
        return delegate.lease(id, route, state, requestTimeout, new FutureCallback<>() {
            @Override
            public void completed(AsyncConnectionEndpoint endpoint) {
                lw.granted = true;
                lw.fromManager = endpoint;
                callback.completed(endpoint);
            }

            @Override
            public void failed(Exception ex) {
                callback.failed(ex);
            }

            @Override
            public void cancelled() {
                callback.cancelled();
            }
        });
    }

    @Override
    public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
        delegate.release(endpoint, newState, validDuration);
    }

    @Override
    public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint, ConnectionInitiator initiator,
                                                   Timeout connectTimeout, Object attachment, HttpContext context,
                                                   FutureCallback<AsyncConnectionEndpoint> callback) {
        // counts a connection once it is connected (a refused or timed-out connect opened nothing)
        ConnectionInitiator observed = (remote, remoteAddress, localAddress, timeout, att, cb) ->
                initiator.connect(remote, remoteAddress, localAddress, timeout, att, new FutureCallback<>() {
                    @Override
                    public void completed(IOSession session) {
                        connected.accept(remote);
                        cb.completed(session);
                    }

                    @Override
                    public void failed(Exception ex) {
                        cb.failed(ex);
                    }

                    @Override
                    public void cancelled() {
                        cb.cancelled();
                    }
                });
        return delegate.connect(endpoint, observed, connectTimeout, attachment, context, callback);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
        delegate.upgrade(endpoint, attachment, context);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context,
                        FutureCallback<AsyncConnectionEndpoint> callback) {
        delegate.upgrade(endpoint, attachment, context, callback);
    }

    @Override
    public void close(CloseMode closeMode) {
        delegate.close(closeMode);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
