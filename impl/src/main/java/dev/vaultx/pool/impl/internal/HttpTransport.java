package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.internal.tls.PoolTls;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
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
import java.util.concurrent.TimeoutException;

/**
 * The HTTP layer: one {@link MinimalHttpAsyncClient} and one pooling connection manager shared by
 * every node (one route per node). The pool does its own retries and redirect handling, so the
 * minimal client (no exec chain, no automatic retries) is used with a streaming consumer and the
 * LAX pool policy. TLS (https nodes) is the pool's {@link PoolTls}, shared by the request and probe transports.
 *
 * <p>This class is thread-safe.
 */
final class HttpTransport implements AutoCloseable {

    /** How long {@link #close()} waits for the I/O threads to stop once every connection is closed. */
    private static final TimeValue SHUTDOWN_WAIT = TimeValue.ofSeconds(1);
    private static final String X_VAULT_REQUEST = "X-Vault-Request";
    private static final String X_VAULT_TOKEN = "X-Vault-Token";
    private static final String X_VAULT_NAMESPACE = "X-Vault-Namespace";

    private final PoolingAsyncClientConnectionManager manager;
    private final MinimalHttpAsyncClient client;
    private final int maxResponseBytes;
    private final List<NodeState> nodes;
    private final String defaultNamespace;
    private final RequestConfig baseRequestConfig;
    /**
     * Whether this is the requests' transport: its connections count in {@code NodeState.connectionsOpened}, and its
     * leases pass through {@link #slots} (the probes' transport leases straight from its manager).
     */
    private final boolean countsConnections;
    /** Per node (by index): the slots and the requests waiting for one; {@code null} for the probes' transport. */
    private final NodeSlots[] slots;
    /** Connections per node, {@code size + maxOverflow}. */
    private volatile int perNodeLimit;
    /** The config of the last lease, reused while the wait is the same (immutable, so a racy reuse is harmless). */
    private volatile LeaseConfig lastLeaseConfig;
    private final Ticker ticker;
    /** The connections' socket timeout, set again on a kept connection when it is taken. */
    private final Timeout socketTimeout;
    /** A connection kept idle longer than this is checked by the manager before use; -1: never. */
    private final long validateAfterNanos;

    /**
     * The requests' transport: counts its connections, and its leases pass through per-node slots, which keep the
     * connections returned while nobody waits.
     *
     * @param ticker the pool's ticker: how long a kept connection has been idle ({@code maxIdleTime},
     *               {@code validateAfterInactivity})
     */
    HttpTransport(PoolConfig config, List<NodeState> nodes, Ticker ticker) {
        this(config, nodes, config.maxConnectionsPerNode(), config.attemptTimeout(), config.ioThreads(), config.maxResponseBytes(),
                PoolTls.forRequests(config, nodes), true, ticker);
    }

    /** A small transport for health probes: its own connections, so a probe never takes one a request waits for. */
    static HttpTransport forProbes(PoolConfig config, List<NodeState> nodes) {
        return new HttpTransport(config, nodes, 1, config.healthCheckTimeout(), 1, 64 * 1024, PoolTls.forProbes(config, nodes),
                false, Ticker.SYSTEM);
    }

    @SuppressWarnings("deprecation")
    private HttpTransport(PoolConfig config, List<NodeState> nodes, int perNode, Duration socketTimeout, int ioThreads,
                          int maxResponseBytes, PoolTls tls,
                          boolean countsConnections, Ticker ticker) {
        this.countsConnections = countsConnections;
        this.ticker = ticker;
        this.socketTimeout = Timeout.of(socketTimeout);
        this.validateAfterNanos = config.validateAfterInactivity().isZero() ? -1 : Durations.nanos(config.validateAfterInactivity());
        if (countsConnections) {
            this.slots = new NodeSlots[nodes.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new NodeSlots();
            }
        } else {
            this.slots = null;
        }
        this.perNodeLimit = perNode;
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
                .setTlsStrategy(tls.strategy())
                .setDefaultTlsConfig(tls.tlsConfig())
                .setMaxConnPerRoute(perNode)
                .setMaxConnTotal(nodes.size() * perNode)
                .build();
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(ioThreads)
                .setSoTimeout(Timeout.of(socketTimeout))
                // timeouts and closes are processed once per select interval (1 s by default): keep it short
                .setSelectInterval(TimeValue.ofMilliseconds(100))
                .setTcpNoDelay(true)
                .build();
        this.nodes = nodes;
        this.client = HttpAsyncClients.createMinimal(H2Config.DEFAULT, Http1Config.DEFAULT, reactor, new SlotTracking(manager, this::connected));
        this.client.start();
        this.maxResponseBytes = maxResponseBytes;
        this.defaultNamespace = config.namespace().orElse(null);
        this.baseRequestConfig = RequestConfig.custom().setConnectTimeout(connect).build();
        setLimits(nodes, perNode);
    }

    /** Called with the node index each time a new connection is opened (metrics); the node's own count is kept here. */
    volatile java.util.function.IntConsumer onConnect = i -> { };

    private void connected(org.apache.hc.core5.net.NamedEndpoint remote) {
        if (!countsConnections) {
            return;
        }
        for (NodeState n : nodes) {
            if (n.uri.getPort() == remote.getPort() && n.uri.getHost().equalsIgnoreCase(remote.getHostName())) {
                n.connectionsOpened.increment();
                onConnect.accept(n.index);
                return;
            }
        }
    }

    /**
     * Sets the per-node limit on every route and keeps the total at nodes x limit. Requests waiting for a node
     * whose limit grew are given the new slots.
     */
    void setLimits(List<NodeState> nodes, int perNode) {
        manager.setMaxTotal(nodes.size() * perNode);
        manager.setDefaultMaxPerRoute(perNode);
        for (NodeState n : nodes) {
            manager.setMaxPerRoute(n.route, perNode);
        }
        perNodeLimit = perNode;
        if (slots != null) {
            for (NodeState n : nodes) {
                for (NodeSlots.Waiter w : slots[n.index].grow(perNode)) {
                    leaseFromManager((LeaseWait) w);
                }
            }
        }
    }

    /**
     * Leases a connected endpoint on the node's route, opening a connection if none is idle.
     *
     * @param wait how long the connection manager waits for a free connection (a slot in its pool); opening a new
     *             connection once a slot is granted is bounded by the connect timeout
     * @param callback completed with the endpoint, or failed with a {@link TimeoutException} when the manager's wait
     *                 is over, or with a connect failure
     */
    LeaseWait lease(NodeState node, Duration wait, FutureCallback<AsyncClientEndpoint> callback) {
        return leaseUntimed(node, wait, HttpClientContext.create(), callback);
    }

    /**
     * As {@link #lease(NodeState, Duration, FutureCallback)}, with the context the exchange will use too (see
     * {@link #send(AsyncClientEndpoint, NodeState, VaultRequest, String, HttpClientContext, FutureCallback)}: one
     * context per try, as the client's own {@code execute} does). No timer watches the wait: the caller's own
     * deadline check (the pool's {@link TimeoutSweeper}) calls {@link LeaseWait#expire(Duration)} when it is over.
     */
    LeaseWait leaseUntimed(NodeState node, Duration wait, HttpClientContext context, FutureCallback<AsyncClientEndpoint> callback) {
        Duration w = wait.isZero() ? Duration.ofMillis(1) : wait;
        LeaseWait lw = new LeaseWait(this, node, w, context, callback);
        if (slots == null) {
            leaseNow(lw);
        } else if (slots[node.index].acquireOrQueue(lw, perNodeLimit)) {
            lw.claimed = 1; // never queued
            try {
                leaseNow(lw);
            } catch (RuntimeException e) {
                slotFreed(node);
                throw e;
            }
        }
        return lw;
    }

    /** Leases for a wait that was queued and now holds a slot: a refusal fails the wait (and frees its slot). */
    private void leaseFromManager(LeaseWait lw) {
        try {
            leaseNow(lw);
        } catch (RuntimeException e) {
            lw.failed(e);
        }
    }

    /**
     * Gives the wait a kept connection of its node, or else asks the manager for one (the wait holds a slot, if this
     * transport has slots).
     */
    private void leaseNow(LeaseWait lw) {
        PooledEndpoint kept = slots == null ? null : takeKept(lw.node);
        if (kept != null) {
            lw.granted = true;
            lw.completed(kept);
            return;
        }
        lw.context.setRequestConfig(requestConfig(lw.wait));
        SlotTracking.LEASING.set(lw);
        try {
            client.lease(lw.node.host, lw.context, lw);
        } finally {
            SlotTracking.LEASING.set(null); // cheaper than remove(), and the same to SlotTracking
        }
    }

    /** @return whether this transport keeps returned connections itself (the requests' transport) */
    boolean keepsConnections() {
        return slots != null;
    }

    /**
     * @return the most recently kept connection of the node that is still connected, its socket timeout running
     *         again, or {@code null}: the caller then leases from the manager. One kept longer than
     *         {@code validateAfterInactivity} goes back to the manager, which checks it on that lease, as it checks
     *         its own idle connections.
     */
    private PooledEndpoint takeKept(NodeState node) {
        NodeSlots.Kept k;
        while ((k = slots[node.index].takeKept()) != null) {
            PooledEndpoint ep = (PooledEndpoint) k.connection();
            if (!ep.isConnected()) {
                ep.releaseAndDiscard(); // closed while kept (the server's keep-alive ran out, the node went away)
            } else if (validateAfterNanos >= 0 && ticker.nanoTime() - k.sinceNanos() > validateAfterNanos) {
                ep.releaseAndReuse();
                return null;
            } else if (ep.activate(socketTimeout)) {
                return ep;
            } else {
                ep.releaseAndDiscard();
            }
        }
        return null;
    }

    private static boolean passivate(Object connection) {
        return ((PooledEndpoint) connection).passivate();
    }

    /**
     * Returns a leased connection: straight to the first request waiting for its node if it is reusable and one
     * waits (hand-off); else a reusable one is kept, passivated, for the next request (up to the node's limit) or
     * given back to the connection manager, and one that is not reusable is closed. A connection that is not
     * reusable still frees its slot for the first waiter, which then leases a new one.
     */
    void release(NodeState node, AsyncClientEndpoint endpoint, boolean reusable) {
        Object passed = slots == null ? null : slots[node.index].release(perNodeLimit,
                reusable && endpoint instanceof PooledEndpoint ? endpoint : null, ticker, HttpTransport::passivate);
        if (passed == NodeSlots.KEPT) {
            return;
        }
        LeaseWait next = (LeaseWait) passed;
        if (next != null && reusable) {
            next.granted = true;
            next.completed(endpoint);
            return;
        }
        if (reusable) {
            endpoint.releaseAndReuse();
        } else {
            endpoint.releaseAndDiscard();
        }
        if (next != null) {
            leaseFromManager(next);
        }
    }

    /** Takes a wait out of its node's queue (it claimed itself first). */
    void dequeue(LeaseWait lw) {
        slots[lw.node.index].remove(lw);
    }

    /** A lease from the manager ended without a connection for anyone: its slot goes to the next waiter, if any. */
    void slotFreed(NodeState node) {
        if (slots != null) {
            LeaseWait next = (LeaseWait) slots[node.index].passOn(perNodeLimit);
            if (next != null) {
                leaseFromManager(next);
            }
        }
    }

    /** @return the request config with this wait as its connection request timeout; the usual one is reused */
    private RequestConfig requestConfig(Duration wait) {
        long nanos = wait.toNanos();
        LeaseConfig last = lastLeaseConfig;
        if (last != null && last.waitNanos == nanos) {
            return last.config; // most waits are borrowTimeout; those cut short by a deadline differ every time
        }
        RequestConfig c = RequestConfig.copy(baseRequestConfig).setConnectionRequestTimeout(Timeout.of(wait)).build();
        lastLeaseConfig = new LeaseConfig(nanos, c);
        return c;
    }

    /** A lease's request config and the wait it was built for. */
    private static final class LeaseConfig {
        final long waitNanos;
        final RequestConfig config;

        LeaseConfig(long waitNanos, RequestConfig config) {
            this.waitNanos = waitNanos;
            this.config = config;
        }
    }

    /**
     * Sends a request on a leased endpoint.
     *
     * @return the exchange, cancellable
     */
    Future<VaultResponse> send(AsyncClientEndpoint endpoint, NodeState node, VaultRequest request, String path,
                               FutureCallback<VaultResponse> callback) {
        return send(endpoint, node, request, path, HttpClientContext.create(), callback);
    }

    /**
     * Sends a request on a leased endpoint, in the given context (the one its lease used, or a new one). Never
     * throws: a request that cannot be produced fails the callback with a {@link RequestProducer.Rejected}
     * ({@code REQUEST_INVALID}), and an endpoint that refuses the exchange fails it with its exception.
     *
     * @return the exchange, cancellable
     */
    Future<VaultResponse> send(AsyncClientEndpoint endpoint, NodeState node, VaultRequest request, String path,
                               HttpClientContext context, FutureCallback<VaultResponse> callback) {
        return send(endpoint, node, request, path, List.of(), null, context, callback);
    }

    /**
     * As {@link #send(AsyncClientEndpoint, NodeState, VaultRequest, String, HttpClientContext, FutureCallback)}, adding
     * each replication state as its own {@code X-Vault-Index} header line (as Vault's Go client does; a
     * {@link VaultRequest} holds one value per header name).
     *
     * @param indexStates the states to require, in order; empty for none
     * @param sending told when the request's head is handed to the connection (a failure before that proves the
     *                request unsent), or {@code null}
     */
    Future<VaultResponse> send(AsyncClientEndpoint endpoint, NodeState node, VaultRequest request, String path,
                               List<String> indexStates, RequestProducer.Sending sending, HttpClientContext context,
                               FutureCallback<VaultResponse> callback) {
        RequestProducer producer;
        try {
            producer = produce(node, request, path, indexStates, sending);
        } catch (RuntimeException e) {
            RequestProducer.Rejected rejected = new RequestProducer.Rejected(request.method()
                    + " request could not be produced (" + Failures.describe(e) + ")", e);
            callback.failed(rejected);
            return CompletableFuture.failedFuture(rejected);
        }
        try {
            // a client context, never null: without one the endpoint makes a core context (a HashMap) and wraps it
            return endpoint.execute(producer, new VaultResponseConsumer(node.uri, maxResponseBytes), null, context, callback);
        } catch (RuntimeException e) {
            // e.g. the connection closed under the lease: the exchange never started
            callback.failed(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private RequestProducer produce(NodeState node, VaultRequest request, String path, List<String> indexStates,
                                    RequestProducer.Sending sending) {
        BasicHttpRequest http = new BasicHttpRequest(request.method(), node.host, path);
        http.addHeader(X_VAULT_REQUEST, "true");
        Map<String, String> headers = request.headers();
        if (!headers.isEmpty()) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                http.addHeader(h.getKey(), h.getValue());
            }
        }
        for (String state : indexStates) {
            http.addHeader(ReplicationStates.HEADER, state);
        }
        String token = request.token().orElse(null);
        if (token != null) {
            http.addHeader(X_VAULT_TOKEN, token);
        }
        String namespace = request.namespace().orElse(defaultNamespace);
        if (namespace != null) {
            http.addHeader(X_VAULT_NAMESPACE, namespace);
        }
        return new RequestProducer(http, request.bodyLength() == 0 ? null : request.bodyBuffer(), sending);
    }

    /** @return one node's connections: the connection manager's view, with the kept connections counted as idle */
    PoolStats stats(NodeState node) {
        PoolStats s = manager.getStats(node.route); // first: a kept connection is leased to the manager until given back
        int kept = slots == null ? 0 : slots[node.index].keptCount();
        if (kept == 0) {
            return s;
        }
        int leased = Math.max(0, s.getLeased() - kept);
        return new PoolStats(leased, s.getPending(), s.getAvailable() + (s.getLeased() - leased), s.getMax());
    }

    /**
     * Closes connections idle for longer than {@code idle} on every route: the kept ones by the pool's ticker, the
     * manager's by its own clock.
     */
    void closeIdle(Duration idle) {
        if (slots != null) {
            long cutoff = ticker.nanoTime() - Durations.nanos(idle);
            for (NodeSlots s : slots) {
                discard(s.takeIdlest(Integer.MAX_VALUE, cutoff, idle.isZero()));
            }
        }
        manager.closeIdle(TimeValue.of(idle));
    }

    private static void discard(List<Object> connections) {
        for (Object c : connections) {
            ((AsyncClientEndpoint) c).releaseAndDiscard();
        }
    }

    /**
     * Closes up to {@code count} idle connections of one node: leases them from the manager without
     * connecting and releases them as not reusable. A lease that would have to open a new connection
     * is released at once without opening it.
     */
    CompletableFuture<Void> closeIdle(NodeState node, int count) {
        if (slots != null && count > 0) {
            List<Object> kept = slots[node.index].takeIdlest(count, 0, true); // the longest kept first
            discard(kept);
            count -= kept.size();
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[Math.max(count, 0)];
        for (int i = 0; i < all.length; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all[i] = done;
            manager.lease("vaultx-evict", node.route, null, Timeout.ofMilliseconds(1), new FutureCallback<>() {
                @Override
                public void completed(AsyncConnectionEndpoint ep) {
                    ep.close(CloseMode.IMMEDIATE);
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

    /**
     * Closes every connection and the I/O threads at once: requests in flight had their chance during
     * the pool's shutdown wait (a graceful close would wait up to another 5 s for a stuck exchange).
     */
    @Override
    public void close() {
        if (slots != null) {
            for (NodeSlots s : slots) {
                for (NodeSlots.Waiter w : s.claimAll()) {
                    ((LeaseWait) w).closing();
                }
                discard(s.takeIdlest(Integer.MAX_VALUE, 0, true));
            }
        }
        // every connection closes now (exchanges still on them fail); then the I/O threads are asked to stop and stop
        // by themselves. An immediate close of the client from this thread closes their selectors under them, and
        // httpcore5 5.4 logs a ClosedSelectorException at ERROR for each (SingleCoreIOReactor.closeOpenChannels)
        manager.close(CloseMode.IMMEDIATE);
        client.initiateShutdown();
        try {
            client.awaitShutdown(SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close(CloseMode.IMMEDIATE); // stops whatever did not stop in time
    }
}
