package dev.vaultx.pool.bench;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The raw client's streaming response consumer: status and the body copied into one array sized
 * from Content-Length; no header map. Not thread-safe (one exchange).
 */
public final class RawBodyConsumer extends AbstractBinResponseConsumer<RawBodyConsumer.Response> {

    /** Status and body. */
    public record Response(int status, byte[] body) {
    }

    private int status;
    private byte[] buf;
    private int len;

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
        status = response.getCode();
        Header cl = response.getFirstHeader("Content-Length");
        int n = cl == null ? 512 : Integer.parseInt(cl.getValue());
        buf = new byte[Math.max(n, 1)];
    }

    @Override
    protected int capacityIncrement() {
        return Integer.MAX_VALUE;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
        int n = src.remaining();
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
        }
        src.get(buf, len, n);
        len += n;
    }

    @Override
    protected Response buildResult() {
        return new Response(status, len == buf.length ? buf : Arrays.copyOf(buf, len));
    }

    @Override
    public void releaseResources() {
    }

    /** Runs one response through a new consumer, as the I/O reactor would; for the JMH comparison. */
    public static Response consumeForBenchmark(HttpResponse head, byte[] body) throws Exception {
        RawBodyConsumer c = new RawBodyConsumer();
        Response[] out = new Response[1];
        c.consumeResponse(head, new BasicEntityDetails(body.length, ContentType.APPLICATION_JSON), null, new FutureCallback<>() {
            @Override
            public void completed(Response r) {
                out[0] = r;
            }

            @Override
            public void failed(Exception ex) {
            }

            @Override
            public void cancelled() {
            }
        });
        c.consume(ByteBuffer.wrap(body));
        c.streamEnd(null);
        return out[0];
    }
}
