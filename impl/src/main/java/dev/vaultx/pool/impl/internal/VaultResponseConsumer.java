package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Streams a response body into a byte array, refusing bodies over a limit. Lighter than core5's
 * {@code SimpleResponseConsumer}: no intermediate {@code SimpleHttpResponse}, one growing array.
 * Not thread-safe: used by one exchange, driven by the I/O reactor.
 */
final class VaultResponseConsumer implements AsyncResponseConsumer<VaultResponse> {

    private static final int INITIAL = 512;
    private static final byte[] EMPTY = new byte[0];
    /**
     * The most allocated on the word of a {@code Content-Length}: beyond it the buffer grows as bytes arrive, so
     * a server that announces big bodies and sends nothing cannot pin {@code maxResponseBytes} per connection.
     */
    private static final int PREALLOCATE_MAX = 64 * 1024;

    private final URI node;
    private final int maxBytes;
    private HttpResponse head;
    private FutureCallback<VaultResponse> callback;
    private byte[] buf = EMPTY;
    private int len;

    VaultResponseConsumer(URI node, int maxBytes) {
        this.node = node;
        this.maxBytes = maxBytes;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
                                FutureCallback<VaultResponse> resultCallback) throws IOException {
        this.head = response;
        this.callback = resultCallback;
        if (entityDetails == null) {
            complete();
            return;
        }
        long declared = entityDetails.getContentLength();
        if (declared > maxBytes) {
            throw new ResponseTooLargeException(declared, maxBytes);
        }
        buf = new byte[declared > 0 ? (int) Math.min(declared, PREALLOCATE_MAX) : INITIAL];
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx: nothing to keep
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if ((long) len + n > maxBytes) {
            throw new ResponseTooLargeException((long) len + n, maxBytes);
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(maxBytes, Math.max(len + n, buf.length * 2)));
        }
        src.get(buf, len, n);
        len += n;
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        complete();
    }

    private void complete() {
        // the header values stay unparsed until somebody asks (most responses: nobody); the parsed lines are
        // this response's own and are only read from here on
        Header[] headers = head.getHeaders();
        byte[] body = len == buf.length ? buf : Arrays.copyOf(buf, len);
        VaultResponse response = VaultResponse.ofLazyHeaderPairs(head.getCode(), () -> pairsOf(headers), body, node);
        FutureCallback<VaultResponse> cb = callback;
        releaseResources();
        if (cb != null) {
            cb.completed(response);
        }
    }

    private static String[] pairsOf(Header[] headers) {
        String[] pairs = new String[headers.length * 2];
        for (int i = 0; i < headers.length; i++) {
            pairs[2 * i] = headers[i].getName();
            pairs[2 * i + 1] = headers[i].getValue();
        }
        return pairs;
    }

    @Override
    public void failed(Exception cause) {
        releaseResources();
    }

    @Override
    public void releaseResources() {
        buf = EMPTY;
        len = 0;
        callback = null;
    }

    /** The body exceeds {@code maxResponseBytes}; fails the exchange and discards the connection. */
    static final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseTooLargeException(long size, int max) {
            super("response body of at least " + size + " bytes exceeds maxResponseBytes " + max);
        }
    }
}
