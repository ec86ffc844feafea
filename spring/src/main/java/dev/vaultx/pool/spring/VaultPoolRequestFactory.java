package dev.vaultx.pool.spring;

import dev.vaultx.pool.ConnectionPool;
import java.net.URI;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * A Spring {@link ClientHttpRequestFactory} whose requests are sent by a vaultx-pool {@link ConnectionPool}:
 * Spring Vault's {@code VaultTemplate} then gets the pool's routing to the active node, retries,
 * per-node circuit breakers and failover, unchanged.
 *
 * <pre>{@code
 * ConnectionPool pool = AsyncHttpConnectionPool.start(PoolConfig.builder()
 *         .nodes("https://vault-1:8200", "https://vault-2:8200", "https://vault-3:8200").build());
 * VaultTemplate vault = new VaultTemplate(VaultEndpoint.from(URI.create("https://vault:8200")),
 *         new VaultPoolRequestFactory(pool), new SimpleSessionManager(new TokenAuthentication(token)));
 * vault.opsForVersionedKeyValue("secret").put("app", Map.of("k", "v"));
 * }</pre>
 *
 * <p>How a Spring request becomes a pool request:
 * <ul>
 * <li>the scheme, host and port of the request URI are ignored: the pool picks the node (so the
 *     {@code VaultEndpoint} may name any node, or a name that resolves nowhere); the raw path and query
 *     are sent as they are;</li>
 * <li>{@code X-Vault-Token} becomes the request's token and {@code X-Vault-Namespace} its namespace, so
 *     the pool's secret handling applies (the token is never logged, never in a message, and sent
 *     only to configured nodes); other headers pass through, several values of one header joined with
 *     {@code ", "}; {@code Content-Length}, {@code Content-Type} (the pool sends JSON), {@code Host}, hop-by-hop
 *     headers and {@code X-Vault-Request} (the pool sets it) are left to the pool;</li>
 * <li>the body is buffered (Vault's bodies are small) and sent as it is; writes ({@code POST},
 *     {@code PUT}, {@code DELETE}, ...) are retried on another node only when they provably never
 *     reached a server, as every write of the pool;</li>
 * <li>each request waits at most the pool's {@code requestTimeout}, retries included; Spring's own
 *     timeouts do not apply;</li>
 * <li>any HTTP status the cluster answers is a response (Spring then maps 4xx/5xx as it does for
 *     any factory); a failure to get one ({@code PoolExhaustedException}, {@code NoAvailableNodeException},
 *     {@code RequestTimeoutException}, {@code VaultTransportException}, {@code PoolClosedException}) is
 *     thrown as an {@link java.io.IOException} carrying the pool's message (no secret in it) with the
 *     pool's exception as its cause, which Spring reports as a {@code ResourceAccessException} and
 *     Spring Vault as a {@code VaultException}.</li>
 * </ul>
 *
 * <p>The factory does not own the pool: closing the application context or the template does not close
 * it. This class is thread-safe; the requests it creates are not (each is used by one thread, as
 * Spring does).
 */
public final class VaultPoolRequestFactory implements ClientHttpRequestFactory {

    private final ConnectionPool pool;

    /**
     * @param pool the pool every request is sent through
     * @throws NullPointerException if {@code pool} is {@code null}
     */
    public VaultPoolRequestFactory(ConnectionPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** @return the pool requests are sent through */
    public ConnectionPool pool() {
        return pool;
    }

    /**
     * @param uri the URI Spring built; only its raw path and query are used
     * @param httpMethod the method
     * @return a request to fill and execute
     * @throws IllegalArgumentException if the URI has no absolute path (e.g. {@code mailto:})
     */
    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(httpMethod, "httpMethod");
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("uri: " + uri + " (expected: an absolute path such as https://vault:8200/v1/secret/data/app)");
        }
        return new PoolClientHttpRequest(pool, uri, httpMethod);
    }

    @Override
    public String toString() {
        return "VaultPoolRequestFactory{pool=" + pool.name() + "}";
    }
}
