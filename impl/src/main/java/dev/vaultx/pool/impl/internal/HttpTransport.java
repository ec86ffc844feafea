package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The HTTP layer: one {@link MinimalHttpAsyncClient} and one pooling connection manager shared by
 * every node (one route per node). The pool does its own retries and redirect handling, so the
 * minimal client (no exec chain, no automatic retries) is used with a streaming consumer and the
 * LAX pool policy.
 *
 * <p>This class is thread-safe.
 */
final class HttpTransport implements AutoCloseable {

    private static final String X_VAULT_REQUEST = "X-Vault-Request";
    private static final String X_VAULT_TOKEN = "X-Vault-Token";
    private static final String X_VAULT_NAMESPACE = "X-Vault-Namespace";

    private final PoolingAsyncClientConnectionManager manager;
    private final MinimalHttpAsyncClient client;
    private final int maxResponseBytes;
    private final String defaultNamespace;
    private final RequestConfig baseRequestConfig;

    HttpTransport(PoolConfig config, List<NodeState> nodes, String threadPrefix) {
        this(config, nodes, config.maxConnectionsPerNode(), config.attemptTimeout(), config.ioThreads(), config.maxResponseBytes());
    }

    /** A small transport for health probes: its own connections, so a probe never takes one a request waits for. */
    static HttpTransport forProbes(PoolConfig config, List<NodeState> nodes) {
        return new HttpTransport(config, nodes, 1, config.healthCheckTimeout(), 1, 64 * 1024);
    }

    @SuppressWarnings("deprecation")
    private HttpTransport(PoolConfig config, List<NodeState> nodes, int perNode, Duration socketTimeout, int ioThreads,
                          int maxResponseBytes) {
        Timeout connect = Timeout.of(config.timeout());
        ConnectionConfig connectionConfig = ConnectionConfig.custom()
                .setConnectTimeout(connect)
                .setSocketTimeout(Timeout.of(socketTimeout))
                .setValidateAfterInactivity(config.validateAfterInactivity().isZero()
                        ? TimeValue.NEG_ONE_MILLISECOND : TimeValue.of(config.validateAfterInactivity()))
                .build();
        this.manager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setDefaultConnectionConfig(connectionConfig)
                .setMaxConnPerRoute(perNode)
                .setMaxConnTotal(nodes.size() * perNode)
                .build();
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(ioThreads)
                .setSoTimeout(Timeout.of(socketTimeout))
                .setTcpNoDelay(true)
                .build();
        this.client = HttpAsyncClients.createMinimal(H2Config.DEFAULT, Http1Config.DEFAULT, reactor, manager);
        this.client.start();
        this.maxResponseBytes = maxResponseBytes;
        this.defaultNamespace = config.namespace().orElse(null);
        this.baseRequestConfig = RequestConfig.custom().setConnectTimeout(connect).build();
        setLimits(nodes, perNode);
    }

    /** Sets the per-node limit on every route and keeps the total at nodes x limit. */
    void setLimits(List<NodeState> nodes, int perNode) {
        manager.setMaxTotal(nodes.size() * perNode);
        manager.setDefaultMaxPerRoute(perNode);
        for (NodeState n : nodes) {
            manager.setMaxPerRoute(n.route, perNode);
        }
    }

    /**
     * Leases a connected endpoint on the node's route, opening a connection if none is idle.
     *
     * @param wait how long to wait for a free connection
     * @param callback completed with the endpoint, or failed with a timeout or connect failure
     */
    Future<AsyncClientEndpoint> lease(NodeState node, Duration wait, FutureCallback<AsyncClientEndpoint> callback) {
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.copy(baseRequestConfig)
                .setConnectionRequestTimeout(Timeout.of(wait.isZero() ? Duration.ofMillis(1) : wait)).build());
        return client.lease(node.host, context, callback);
    }

    /**
     * Sends a request on a leased endpoint.
     *
     * @return the exchange, cancellable
     */
    Future<VaultResponse> send(AsyncClientEndpoint endpoint, NodeState node, VaultRequest request, String path,
                               FutureCallback<VaultResponse> callback) {
        BasicHttpRequest http = new BasicHttpRequest(request.method(), node.host, path);
        http.addHeader(X_VAULT_REQUEST, "true");
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            http.addHeader(h.getKey(), h.getValue());
        }
        request.token().ifPresent(t -> http.addHeader(X_VAULT_TOKEN, t));
        String namespace = request.namespace().orElse(defaultNamespace);
        if (namespace != null) {
            http.addHeader(X_VAULT_NAMESPACE, namespace);
        }
        byte[] body = request.body();
        BasicRequestProducer producer = new BasicRequestProducer(http,
                body.length == 0 ? null : new BasicAsyncEntityProducer(body, ContentType.APPLICATION_JSON));
        return endpoint.execute(producer, new VaultResponseConsumer(node.uri, maxResponseBytes), callback);
    }

    /** @return the connection manager's view of one node's connections */
    PoolStats stats(NodeState node) {
        return manager.getStats(node.route);
    }

    /** Closes connections idle for longer than {@code idle} on every route (the manager's own clock). */
    void closeIdle(Duration idle) {
        manager.closeIdle(TimeValue.of(idle));
    }

    /**
     * Closes up to {@code count} idle connections of one node: leases them from the manager without
     * connecting and releases them as not reusable. A lease that would have to open a new connection
     * is released at once without opening it.
     */
    CompletableFuture<Void> closeIdle(NodeState node, int count) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[Math.max(count, 0)];
        for (int i = 0; i < all.length; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all[i] = done;
            manager.lease("vaultx-evict", node.route, null, Timeout.ofMilliseconds(1), new FutureCallback<>() {
                @Override
                public void completed(AsyncConnectionEndpoint ep) {
                    ep.close(CloseMode.GRACEFUL);
                    manager.release(ep, null, TimeValue.ZERO_MILLISECONDS);
                    done.complete(null);
                }

                @Override
                public void failed(Exception ex) {
                    done.complete(null);
                }

                @Override
                public void cancelled() {
                    done.complete(null);
                }
            });
        }
        return CompletableFuture.allOf(all);
    }

    boolean isClosed() {
        return manager.isClosed();
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
        manager.close(CloseMode.IMMEDIATE);
    }
}
