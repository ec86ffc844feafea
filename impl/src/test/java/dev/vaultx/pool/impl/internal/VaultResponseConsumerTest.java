package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.VaultResponse;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The response consumer buffers what arrives, not what the server announces: a {@code Content-Length} of a
 * gigabyte (within a {@code maxResponseBytes} of 1 GiB) costs nothing until the bytes come, so a server that
 * announces big bodies and sends nothing cannot make the pool hold gigabytes per connection.
 */
class VaultResponseConsumerTest {

    private static final URI NODE = URI.create("http://127.0.0.1:8200");

    private static EntityDetails length(long n) {
        return new EntityDetails() {
            @Override
            public long getContentLength() {
                return n;
            }

            @Override
            public String getContentType() {
                return "application/json";
            }

            @Override
            public String getContentEncoding() {
                return null;
            }

            @Override
            public boolean isChunked() {
                return n < 0;
            }

            @Override
            public Set<String> getTrailerNames() {
                return Set.of();
            }
        };
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void anAnnouncedBodyIsNotAllocatedBeforeItArrives() throws Exception {
        VaultResponseConsumer consumer = new VaultResponseConsumer(NODE, 1 << 30);
        AtomicReference<VaultResponse> done = new AtomicReference<>();

        long before = allocated();
        consumer.consumeResponse(new BasicHttpResponse(200), length(1L << 30), null, callback(done));
        long took = allocated() - before;

        assertThat(took).as("bytes allocated for a 1 GiB Content-Length with no body yet").isLessThan(1 << 20);
        consumer.consume(ByteBuffer.wrap("{\"data\":{}}".getBytes(StandardCharsets.UTF_8)));
        consumer.streamEnd(List.of());
        assertThat(done.get().bodyAsString()).isEqualTo("{\"data\":{}}");
    }

    @Test
    void aBodyIsStillReadWholeAndRefusedOverTheLimit() throws Exception {
        VaultResponseConsumer consumer = new VaultResponseConsumer(NODE, 300_000);
        AtomicReference<VaultResponse> done = new AtomicReference<>();
        consumer.consumeResponse(new BasicHttpResponse(200), length(250_000), null, callback(done));
        byte[] chunk = new byte[10_000];
        for (int i = 0; i < 25; i++) {
            chunk[0] = (byte) i;
            consumer.consume(ByteBuffer.wrap(chunk));
        }
        consumer.streamEnd(List.of());
        assertThat(done.get().body()).hasSize(250_000);
        assertThat(done.get().body()[240_000]).isEqualTo((byte) 24);

        VaultResponseConsumer small = new VaultResponseConsumer(NODE, 1024);
        assertThatThrownBy(() -> small.consumeResponse(new BasicHttpResponse(200), length(1025), null, callback(done)))
                .isInstanceOf(VaultResponseConsumer.ResponseTooLargeException.class);
        VaultResponseConsumer chunked = new VaultResponseConsumer(NODE, 1024);
        chunked.consumeResponse(new BasicHttpResponse(200), length(-1), null, callback(done));
        chunked.consume(ByteBuffer.wrap(new byte[1000]));
        assertThatThrownBy(() -> chunked.consume(ByteBuffer.wrap(new byte[100])))
                .isInstanceOf(VaultResponseConsumer.ResponseTooLargeException.class);
    }

    private static FutureCallback<VaultResponse> callback(AtomicReference<VaultResponse> into) {
        return new FutureCallback<>() {
            @Override
            public void completed(VaultResponse result) {
                into.set(result);
            }

            @Override
            public void failed(Exception ex) {
                throw new AssertionError(ex);
            }

            @Override
            public void cancelled() {
                throw new AssertionError("cancelled");
            }
        };
    }
}
