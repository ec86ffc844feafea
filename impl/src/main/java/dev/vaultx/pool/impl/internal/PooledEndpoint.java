package dev.vaultx.pool.impl.internal;

import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncPushConsumer;
import org.apache.hc.core5.http.nio.HandlerFactory;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * A connection leased from httpclient5's pool, as the requests' transport hands it out: the client's endpoint
 * (what exchanges run on) with the connection manager's endpoint beside it, so that a connection the transport keeps
 * idle itself can be passivated and activated as the manager does with its own idle ones: no socket timeout while
 * idle (the I/O reactor would close the connection after {@code attemptTimeout} of quiet), and the timeout running
 * again, from now, once it is taken.
 *
 * <p>This class is thread-safe as far as its delegates are; it adds only final fields.
 */
final class PooledEndpoint extends AsyncClientEndpoint {

    private final AsyncClientEndpoint delegate;
    private final AsyncConnectionEndpoint connection;

    PooledEndpoint(AsyncClientEndpoint delegate, AsyncConnectionEndpoint connection) {
        this.delegate = delegate;
        this.connection = connection;
    }

    /** @return whether the connection is now idle with no socket timeout; {@code false} if it is gone */
    boolean passivate() {
        return setSocketTimeout(Timeout.ZERO_MILLISECONDS);
    }

    /** @return whether the socket timeout runs again, from now; {@code false} if the connection is gone */
    boolean activate(Timeout socketTimeout) {
        return setSocketTimeout(socketTimeout);
    }

    private boolean setSocketTimeout(Timeout timeout) {
        try {
            connection.setSocketTimeout(timeout);
            return true;
        } catch (RuntimeException released) { // the manager's endpoint refuses once its connection is closed
            return false;
        }
    }

    @Override
    public void execute(AsyncClientExchangeHandler exchangeHandler, HandlerFactory<AsyncPushConsumer> pushHandlerFactory,
                        HttpContext context) {
        delegate.execute(exchangeHandler, pushHandlerFactory, context);
    }

    @Override
    public void releaseAndReuse() {
        delegate.releaseAndReuse();
    }

    @Override
    public void releaseAndDiscard() {
        delegate.releaseAndDiscard();
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }
}
