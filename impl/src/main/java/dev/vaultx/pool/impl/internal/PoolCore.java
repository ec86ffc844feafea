package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolControl;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.internal.metrics.DropwizardMetricsTracker;
import dev.vaultx.pool.impl.internal.metrics.TrackerFanOut;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Wires one pool together: runtime, health monitor, idle maintenance, controller; starts it
 * (first probes, prewarm) and closes it (stop taking work, let requests finish, close everything).
 *
 * <p>This class is thread-safe.
 */
public final class PoolCore {

    private static final Logger LOG = LoggerFactory.getLogger(PoolCore.class);

    private final PoolRuntime rt;
    private final HealthMonitor monitor;
    private final PoolController controller;
    private final IdleMaintenance idle;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final LoopGuard maintenanceGuard;
    private volatile CompletableFuture<?> ready = CompletableFuture.completedFuture(null);
    /** The built-in tracker and the attached ones; set by {@link #start} before the core is handed out. */
    private volatile TrackerFanOut trackers;

    private PoolCore(PoolConfig config, Ticker ticker) {
        this.rt = new PoolRuntime(config, ticker);
        this.maintenanceGuard = new LoopGuard(rt.name, "idle maintenance");
        HealthMonitor started = null;
        try {
            HealthMonitor m = new HealthMonitor(rt);
            started = m;
            PoolController c = new PoolController(rt, m::probeAll);
            this.idle = new IdleMaintenance(new IdleMaintenance.Sweeper() {
                @Override
                public void closeIdleOlderThan(Duration maxIdle) {
                    rt.transport.closeIdle(maxIdle);
                }

                @Override
                public void trimOverflow(long cutoffNanos) {
                    c.trimOverflow(cutoffNanos);
                }
            }, config.maxIdleTime(), config.overflowIdleTimeout());
            this.monitor = m;
            this.controller = c;
        } catch (RuntimeException | Error e) {
            // the runtime and the monitor have started HTTP clients with I/O threads: a pool that fails to start
            // must not leave them running
            rt.markClosed();
            if (started != null) {
                started.close();
            }
            rt.transport.close();
            rt.shutdownScheduler();
            throw e;
        }
    }

    /** Starts a pool: first probes and prewarm in the background. */
    public static PoolCore start(PoolConfig config, Ticker ticker) {
        return start(config, ticker, null);
    }

    /**
     * Starts a pool that records metrics in {@code registry}.
     *
     * @param registry a Dropwizard registry, or {@code null} for none
     * @throws IllegalArgumentException if the registry already holds this pool's metric names
     */
    public static PoolCore start(PoolConfig config, Ticker ticker, com.codahale.metrics.MetricRegistry registry) {
        return start(config, ticker, registry, List.of(), null);
    }

    /**
     * Starts a pool that records metrics in {@code registry} and in a tracker from each factory. The trackers are
     * made before the first probe and the prewarm, so they see every event of the pool.
     *
     * @param registry a Dropwizard registry, or {@code null} for none
     * @param factories the public trackers' factories, each called once with the pool's {@code view}
     * @param view the pool as its users see it, made from the core; {@code null} only if there are no factories
     * @throws IllegalArgumentException if the registry already holds this pool's metric names
     */
    public static PoolCore start(PoolConfig config, Ticker ticker, com.codahale.metrics.MetricRegistry registry,
                                 List<PoolMetricsTrackerFactory> factories, Function<PoolCore, ConnectionPool> view) {
        PoolCore core = new PoolCore(config, ticker);
        // without a user registry, a private one: latency percentiles are always known (NodeStats, JMX)
        PoolRuntime rt = core.rt;
        try {
            core.trackers = new TrackerFanOut(config.name(), new DropwizardMetricsTracker(
                    registry != null ? registry : new com.codahale.metrics.MetricRegistry(),
                    config.name(), config.nodes(), rt::stats, i -> rt.nodes.get(i).breaker.state()));
            rt.metrics = core.trackers;
            rt.transport.onConnect = rt.metrics::connectionOpened;
            if (!factories.isEmpty()) {
                ConnectionPool pool = view.apply(core);
                for (PoolMetricsTrackerFactory f : factories) {
                    core.trackers.attach(f, pool);
                }
            }
            CompletableFuture<PoolHealth> probed = core.monitor.start();
            CompletableFuture<Void> warmed = config.prewarm() ? core.prewarm() : CompletableFuture.completedFuture(null);
            core.ready = CompletableFuture.allOf(probed, warmed);
            core.maintain();
            LoopGuard budgetGuard = new LoopGuard(rt.name, "retry budget refill");
            core.rt.scheduler.scheduleAtFixedRate(() -> {
                try {
                    rt.retryBudget.observe(rt.ticker.nanoTime(), rt.totalRequests.sum());
                } catch (Throwable e) { // a periodic task that throws is never run again
                    budgetGuard.failed(e);
                }
            }, 0, 1, TimeUnit.SECONDS);
        } catch (Throwable e) { // whatever it is (precise rethrow: only what the block can throw leaves)
            // a pool that fails to start stops whatever it started (I/O threads, timer, probes)
            core.close();
            throw e;
        }
        LOG.info("{} - started with {} nodes {} (size={}, maxOverflow={})", config.name(), config.nodes().size(),
                config.nodes(), config.size(), config.maxOverflow());
        return core;
    }

    public PoolRuntime runtime() {
        return rt;
    }

    /**
     * Attaches a public metrics tracker to the running pool (see {@link TrackerFanOut#attach}).
     *
     * @param factory makes the tracker
     * @param view the pool as its users see it, for the factory
     * @return closing it detaches and closes the tracker
     */
    public AutoCloseable attachMetricsTracker(PoolMetricsTrackerFactory factory, ConnectionPool view) {
        return trackers.attach(factory, view);
    }

    private void maintain() {
        if (rt.isClosed()) {
            return;
        }
        long delay;
        try {
            delay = idle.run(rt.ticker.nanoTime());
        } catch (Throwable e) { // anything, Errors included: a sweep that throws must not end maintenance for good
            maintenanceGuard.failed(e);
            delay = TimeUnit.SECONDS.toNanos(1);
        }
        try {
            rt.scheduler.schedule(this::maintain, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    /**
     * Opens {@code size} connections per node by leasing them all at once, then returns them. The prewarm is not
     * traffic: it leaves {@code pending} and the nodes' waiting counts alone (a node that black-holes connections
     * at start stalls no drain and takes no place under {@code maxPendingRequests}), takes no breaker permit and
     * records no outcome. Readiness waits for it at most {@code healthCheckTimeout}.
     */
    private CompletableFuture<Void> prewarm() {
        List<CompletableFuture<Void>> nodes = new ArrayList<>();
        for (NodeState n : rt.nodes) {
            nodes.add(prewarm(n));
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture.allOf(nodes.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> ready.complete(null));
        try {
            rt.later(() -> ready.complete(null), Durations.nanos(rt.config.healthCheckTimeout()));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            ready.complete(null);
        }
        return ready;
    }

    /**
     * Opens {@code size} connections to one node: leases them all, and returns them only once every lease of the
     * node has ended. Returned earlier, a connection would be granted to the next prewarm lease of its node, and
     * fewer than {@code size} would be opened.
     */
    private CompletableFuture<Void> prewarm(NodeState n) {
        List<CompletableFuture<ConnectionLease>> leases = new ArrayList<>();
        for (int i = 0; i < rt.size(); i++) {
            CompletableFuture<ConnectionLease> opened = new CompletableFuture<>();
            leases.add(opened);
            leaseSwept(n, Durations.capped(rt.config.timeout()), new FutureCallback<>() {
                @Override
                public void completed(AsyncClientEndpoint endpoint) {
                    n.leased(rt.size(), rt.ticker);
                    opened.complete(new ConnectionLease(rt, n, endpoint));
                }

                @Override
                public void failed(Exception ex) {
                    LOG.debug("{} - prewarm of a connection to {} failed: {}", rt.name, n.uri, Failures.describe(ex));
                    opened.complete(null);
                }

                @Override
                public void cancelled() {
                    opened.complete(null);
                }
            });
        }
        return CompletableFuture.allOf(leases.toArray(new CompletableFuture<?>[0])).thenRun(() -> {
            for (CompletableFuture<ConnectionLease> f : leases) {
                ConnectionLease l = f.join();
                if (l != null) {
                    l.release(true);
                }
            }
        });
    }

    /**
     * Leases a connection on a node for {@code getConnection}, keeping the node's counts; the try was admitted
     * with {@code permit}, which a failed lease gives back (a connect failure as the node's failure).
     */
    CompletableFuture<ConnectionLease> lease(NodeState node, BreakerPermit permit, Duration wait) {
        CompletableFuture<ConnectionLease> f = new CompletableFuture<>();
        node.beginWait();
        rt.pending.incrementAndGet();
        long start = rt.ticker.nanoTime();
        leaseSwept(node, wait, new FutureCallback<>() {
            @Override
            public void completed(AsyncClientEndpoint endpoint) {
                node.leased(rt.size(), rt.ticker);
                ended();
                ConnectionLease l = new ConnectionLease(rt, node, endpoint);
                if (!f.complete(l)) {
                    permit.neutral(); // the caller gave up (interrupted)
                    l.release(true);
                }
            }

            @Override
            public void failed(Exception ex) {
                ended();
                Throwable cause = Failures.unwrap(ex);
                if (cause instanceof TimeoutException) {
                    permit.neutral();
                    f.completeExceptionally(rt.exhausted(node, rt.ticker.nanoTime() - start, "lease timed out", cause));
                } else {
                    dev.vaultx.pool.FailureKind kind = Failures.kindOf(ex, true);
                    node.record(permit, kind == dev.vaultx.pool.FailureKind.TLS ? NodeBreaker.NEUTRAL : NodeBreaker.FAILURE, false);
                    f.completeExceptionally(new dev.vaultx.pool.VaultTransportException(rt.name, node.uri, kind,
                            kind + " on " + node.uri + " (" + Failures.describe(ex) + ")", Failures.cause(ex)));
                }
            }

            @Override
            public void cancelled() {
                ended();
                permit.neutral();
                f.completeExceptionally(new PoolClosedException(rt.name));
            }

            private void ended() {
                rt.pending.decrementAndGet();
                node.endWait();
            }
        });
        return f;
    }

    /**
     * Leases a connection as {@link HttpTransport#lease(NodeState, Duration, FutureCallback)} does, with the wait
     * for a pool slot ended by the pool's {@link TimeoutSweeper} (a {@link SweptDeadline}) instead of a timer task
     * per lease: when the ticker reaches the start plus {@code wait} (zero counts as 1 ms), the callback fails
     * with a {@link TimeoutException}, up to one sweep late. If the pool is closing, the transport's close ends
     * the wait.
     */
    private void leaseSwept(NodeState node, Duration wait, FutureCallback<AsyncClientEndpoint> callback) {
        Duration w = wait.isZero() ? Duration.ofMillis(1) : wait;
        long now = rt.ticker.nanoTime();
        long nanos = Durations.nanos(w);
        long deadlineAt = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
        java.util.concurrent.atomic.AtomicReference<LeaseWait> waiting =
                new java.util.concurrent.atomic.AtomicReference<>();
        SweptDeadline deadline = new SweptDeadline(rt.executions, deadlineAt, () -> waiting.get().expire(w));
        LeaseWait lw = rt.transport.leaseUntimed(node, w, org.apache.hc.client5.http.protocol.HttpClientContext.create(),
                new FutureCallback<>() {
                    @Override
                    public void completed(AsyncClientEndpoint endpoint) {
                        deadline.settle();
                        callback.completed(endpoint);
                    }

                    @Override
                    public void failed(Exception ex) {
                        deadline.settle();
                        callback.failed(ex);
                    }

                    @Override
                    public void cancelled() {
                        deadline.settle();
                        callback.cancelled();
                    }
                });
        waiting.set(lw);
        if (lw.isDone() || deadline.isSettled()) {
            return;
        }
        rt.executions.add(deadline);
        if (deadline.isSettled()) {
            rt.executions.remove(deadline); // settled between the check and the add
        } else if (!rt.timeouts.ensureRunning()) {
            rt.executions.remove(deadline); // the pool is closing: the transport's close cancels the wait
        }
    }

    public CompletableFuture<VaultResponse> requestAsync(VaultRequest request) {
        return new RequestExecution(rt, request).start();
    }

    public VaultResponse request(VaultRequest request) {
        return Blocking.await(rt.name, requestAsync(request));
    }

    public PooledConnection getConnection(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: a duration >= 0)");
        }
        if (rt.isClosed()) {
            throw new PoolClosedException(rt.name);
        }
        // a lease is a try of its node: it needs a breaker permit like a request (a half-open node admits only its
        // trials), and a node that refuses one is passed over
        NodeSet refused = null;
        for (int i = 0; i < rt.nodes.size(); i++) {
            NodeState node = rt.balancer.choose(null, refused);
            if (node == null || (refused != null && refused.contains(node))) {
                break;
            }
            BreakerPermit permit = node.admit();
            if (permit == null) {
                refused = refused == null ? new NodeSet() : refused;
                refused.add(node);
                continue;
            }
            if (rt.pending.get() >= rt.config.maxPendingRequests()) {
                permit.neutral();
                throw rt.exhausted(null, 0, "too many requests waiting for a connection, rejected at once", null);
            }
            ConnectionLease l = Blocking.await(rt.name, lease(node, permit, Durations.capped(timeout)));
            return new LeasedConnection(rt, l, permit);
        }
        throw rt.noNode(false, null);
    }

    public PoolHealth health() {
        return monitor.health();
    }

    public PoolControl control() {
        return controller;
    }

    public AutoCloseable addListener(PoolListener listener) {
        return rt.listeners.add(listener);
    }

    public boolean isClosed() {
        return rt.isClosed();
    }

    public PoolHealth awaitReady(Duration timeout) {
        try {
            ready.get(Durations.nanos(timeout), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timedOutOrFailed) {
            // report the health as it is
        }
        return health();
    }

    /**
     * Stops taking work, waits up to {@code shutdownTimeout} on the pool's ticker for requests in flight, then
     * closes everything. The count is looked at every few milliseconds (real time) until it is zero or the ticker
     * passes the deadline.
     */
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        rt.markClosed();
        long deadline = rt.ticker.nanoTime() + Durations.nanos(rt.config.shutdownTimeout());
        while (rt.active.get() > 0 && rt.ticker.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int abandoned = rt.active.get();
        if (abandoned > 0) {
            LOG.warn("{} - closing with {} requests still in flight after {}", rt.name, abandoned, rt.config.shutdownTimeout());
        }
        controller.close(); // before the timer stops: a drain still under way would otherwise never complete
        monitor.close();
        rt.transport.close();
        rt.shutdownScheduler();
        rt.listeners.closed();
        rt.metrics.close();
        LOG.info("{} - closed", rt.name);
    }
}
