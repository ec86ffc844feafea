package dev.vaultx.pool.impl.internal;

import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Produces one request: its head and its JSON body, in one object (core5's {@code BasicRequestProducer}
 * with a {@code BasicAsyncEntityProducer} would be two). The body is a read-only view of the request's
 * own bytes, so nothing is copied.
 *
 * <p>Whatever goes wrong while the head is handed to the connection, before a byte of it is written
 * (core5's protocol interceptors refuse, say, a {@code TRACE} with a body with a local
 * {@link ProtocolException}), is rethrown as a {@link Rejected}: the request's own fault, which
 * {@link Failures#kindOf} reports as {@code REQUEST_INVALID} rather than as the node's.
 *
 * <p>Not thread-safe: used by one exchange, on its I/O thread.
 */
final class RequestProducer implements AsyncRequestProducer, AsyncEntityProducer {

    private static final String JSON = "application/json; charset=UTF-8";

    /** The request was refused locally, before any of it was sent. Its message never quotes a header value. */
    static final class Rejected extends ProtocolException {
        private static final long serialVersionUID = 1L;

        Rejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Told when a request's head is handed to the connection: from then on it may have reached the server. */
    interface Sending {
        void sending();
    }

    private final HttpRequest request;
    /** The body, or {@code null} for none. */
    private final ByteBuffer body;
    private final Sending sending;

    /**
     * @param body a read-only buffer positioned at the body's start, or {@code null} for none
     * @param sending told before the head is handed to the connection, or {@code null}
     */
    RequestProducer(HttpRequest request, ByteBuffer body, Sending sending) {
        this.request = request;
        this.body = body;
        this.sending = sending;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        if (sending != null) {
            sending.sending();
        }
        try {
            channel.sendRequest(request, body == null ? null : this, context);
        } catch (HttpException | RuntimeException e) {
            // the head did not pass the protocol interceptors, so nothing was written
            throw new Rejected(request.getMethod() + " request refused before sending (" + Failures.describe(e) + ")", e);
        }
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public int available() {
        return body == null ? 0 : body.remaining();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (body == null) {
            return;
        }
        if (body.hasRemaining()) {
            channel.write(body);
        }
        if (!body.hasRemaining()) {
            channel.endStream();
        }
    }

    @Override
    public void failed(Exception cause) {
        // the exchange reports it
    }

    @Override
    public void releaseResources() {
        if (body != null) {
            body.rewind();
        }
    }

    @Override
    public long getContentLength() {
        return body == null ? 0 : body.limit();
    }

    @Override
    public String getContentType() {
        return JSON;
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return false;
    }

    @Override
    public Set<String> getTrailerNames() {
        return null;
    }
}
