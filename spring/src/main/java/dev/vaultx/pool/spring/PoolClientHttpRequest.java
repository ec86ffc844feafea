package dev.vaultx.pool.spring;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.AbstractBufferingClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

/**
 * One Spring request, buffered, then sent by the pool as one {@link VaultRequest}. Not thread-safe (one
 * thread fills and executes it, as Spring does).
 */
final class PoolClientHttpRequest extends AbstractBufferingClientHttpRequest {

    /** Headers the pool or its HTTP client set themselves (lower case). */
    private static final Set<String> LEFT_TO_THE_POOL = Set.of("content-length", "content-type", "host", "connection",
            "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect", "x-vault-request");

    private final ConnectionPool pool;
    private final URI uri;
    private final HttpMethod method;
    private final Map<String, Object> attributes = new HashMap<>();

    PoolClientHttpRequest(ConnectionPool pool, URI uri, HttpMethod method) {
        this.pool = pool;
        this.uri = uri;
        this.method = method;
    }

    @Override
    public HttpMethod getMethod() {
        return method;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    protected ClientHttpResponse executeInternal(HttpHeaders headers, byte[] body) throws IOException {
        VaultRequest request = toVaultRequest(headers, body);
        CompletableFuture<VaultResponse> future = pool.requestAsync(request);
        try {
            return new PoolClientHttpResponse(future.get());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(pool.name() + " - interrupted while waiting for " + method + " " + uri.getRawPath());
        } catch (ExecutionException e) {
            throw ioException(e.getCause());
        } catch (CancellationException e) {
            throw new IOException(pool.name() + " - " + method + " " + uri.getRawPath() + " was cancelled", e);
        }
    }

    VaultRequest toVaultRequest(HttpHeaders headers, byte[] body) {
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        VaultRequest.Builder b = VaultRequest.builder(method.name(), query == null ? path : path + "?" + query).body(body);
        for (Map.Entry<String, List<String>> h : headers.headerSet()) {
            String name = h.getKey();
            if (LEFT_TO_THE_POOL.contains(name.toLowerCase(Locale.ROOT)) || h.getValue().isEmpty()) {
                continue;
            }
            // the builder routes X-Vault-Token to token() and X-Vault-Namespace to namespace()
            b.header(name, String.join(", ", h.getValue()));
        }
        return b.build();
    }

    /** The pool's exceptions carry no secret: their message is kept, the exception is the cause. */
    private static IOException ioException(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof VaultPoolException) {
            return new IOException(failure.getMessage(), failure);
        }
        return new IOException(String.valueOf(failure), failure);
    }
}
