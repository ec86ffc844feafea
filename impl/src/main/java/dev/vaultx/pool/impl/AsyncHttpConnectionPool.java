package dev.vaultx.pool.impl;

import com.codahale.metrics.MetricRegistry;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolControl;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.PooledConnection;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.internal.PoolCore;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The vaultx-pool {@link ConnectionPool} on Apache HttpAsyncClient 5: warm connections to every
 * node, role-aware routing learned from {@code /v1/sys/health}, a Failsafe circuit breaker per node,
 * retries that fail over to other nodes, and runtime control.
 *
 * <pre>{@code
 * PoolConfig config = PoolConfig.builder()
 *         .nodes("https://vault-1:8200", "https://vault-2:8200", "https://vault-3:8200")
 *         .build();
 * try (ConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
 *     VaultResponse r = pool.request(VaultRequest.get("/v1/secret/data/app").token(token).build());
 * }
 * }</pre>
 *
 * <p>{@link #start(PoolConfig)} returns at once: the first health probes and the opening of
 * {@code size} connections per node run in the background ({@link #awaitReady(Duration)} waits for
 * them, for the prewarm at most {@code healthCheckTimeout}). Requests sent before the first probe answers go to any node (standbys forward).
 *
 * <p>This class is thread-safe.
 */
public final class AsyncHttpConnectionPool implements ConnectionPool {

    private final PoolCore core;

    private AsyncHttpConnectionPool(PoolCore core) {
        this.core = core;
    }

    /**
     * Starts a pool.
     *
     * @param config the configuration
     * @return the running pool; close it when done
     */
    public static AsyncHttpConnectionPool start(PoolConfig config) {
        return builder(config).start();
    }

    /**
     * @param config the configuration
     * @return a builder for the options that are not configuration (metrics registry and trackers, clock)
     */
    public static Builder builder(PoolConfig config) {
        return new Builder(config);
    }

    /**
     * Waits until the first health probe of every node has answered (or failed) and the connections
     * of the prewarm are open (or failed), or {@code healthCheckTimeout} passed since the start: a node
     * that black-holes connections does not hold the pool's readiness for the connect timeout.
     *
     * @param timeout how long to wait at most
     * @return the health after the first probes, or the health now if the timeout passed first
     */
    public PoolHealth awaitReady(Duration timeout) {
        return core.awaitReady(timeout);
    }

    @Override
    public String name() {
        return core.runtime().name();
    }

    @Override
    public PoolConfig config() {
        return core.runtime().config();
    }

    @Override
    public CompletableFuture<VaultResponse> requestAsync(VaultRequest request) {
        return core.requestAsync(Objects.requireNonNull(request, "request"));
    }

    @Override
    public VaultResponse request(VaultRequest request) {
        return core.request(Objects.requireNonNull(request, "request"));
    }

    @Override
    public PooledConnection getConnection(Duration timeout) {
        return core.getConnection(timeout);
    }

    @Override
    public PoolStats stats() {
        return core.runtime().stats();
    }

    @Override
    public PoolHealth health() {
        return core.health();
    }

    @Override
    public PoolControl control() {
        return core.control();
    }

    @Override
    public AutoCloseable addListener(PoolListener listener) {
        return core.addListener(listener);
    }

    /**
     * Attaches a metrics tracker to the running pool: {@code factory} makes it now, and from then on it is told of
     * every request, try, lease wait, retry, connection and breaker change of the pool, until the returned handle
     * is closed or the pool closes (either closes the tracker). A factory that throws is logged and nothing is
     * attached; so is every factory once the pool is closed. For trackers the pool should have from its start, use
     * {@link Builder#metricsTrackerFactory}.
     *
     * @param factory makes the tracker
     * @return closing it detaches the tracker and closes it; idempotent
     * @since 0.2.0
     */
    public AutoCloseable addMetricsTracker(PoolMetricsTrackerFactory factory) {
        return core.attachMetricsTracker(Objects.requireNonNull(factory, "factory"), this);
    }

    @Override
    public boolean isClosed() {
        return core.isClosed();
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "AsyncHttpConnectionPool{name=" + name() + ", nodes=" + config().nodes() + (isClosed() ? ", closed" : "") + "}";
    }

    /** Options of a pool that are not configuration. This class is not thread-safe. */
    public static final class Builder {
        private final PoolConfig config;
        private LongSupplier ticker = System::nanoTime;
        private MetricRegistry metricRegistry;
        private final List<PoolMetricsTrackerFactory> trackerFactories = new ArrayList<>();

        private Builder(PoolConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The clock of the pool's time rules, so that a test can move time instead of sleeping: request
         * deadlines ({@code requestTimeout}, a request's own timeout) and try timeouts ({@code attemptTimeout}),
         * waits for a connection ({@code borrowTimeout}, {@code getConnection(timeout)}), {@code PooledConnection}
         * exchanges, health-probe timeouts and the probe schedule ({@code healthCheckInterval}, hurried and fast
         * rounds), the open breaker's {@code circuitBreakerDelay}, retry backoffs and {@code Retry-After} waits,
         * the retry budget, overflow eviction ({@code overflowIdleTimeout}) and the cadence of the idle sweeps,
         * drain timeouts, the prewarm's bound on readiness, and {@code close()}'s {@code shutdownTimeout}. The
         * pool's timer still wakes in real time to look (a sweep every 10 ms). Not driven by it: connect and
         * socket timeouts and a connection's idle age against {@code maxIdleTime} (the HTTP client's own clock),
         * Failsafe's failure-rate window ({@code circuitBreakerWindow}), the Dropwizard metrics' clock, and
         * wall-clock dates (an HTTP-date {@code Retry-After}, health check times).
         *
         * @param ticker monotonic nanoseconds from an arbitrary origin. Default {@link System#nanoTime()}.
         */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * @param registry a Dropwizard registry to record the pool's metrics in (names in
         *                 {@link dev.vaultx.pool.impl.metrics.MetricNames}); they are removed when the pool closes.
         *                 Default none.
         */
        public Builder metricRegistry(MetricRegistry registry) {
            this.metricRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Adds a metrics tracker factory: the pool makes its tracker as it starts, before the first health probe and
         * the prewarm, so the tracker sees every event; the tracker is closed with the pool. Can be called several
         * times (each factory makes one tracker); the Dropwizard registry of {@link #metricRegistry} is independent
         * of them. A factory that throws is logged and the pool starts without its tracker.
         *
         * @param factory e.g. {@code MicrometerTrackerFactory} of {@code vaultx-pool-micrometer}
         * @since 0.2.0
         */
        public Builder metricsTrackerFactory(PoolMetricsTrackerFactory factory) {
            trackerFactories.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * @return the started pool
         * @throws IllegalArgumentException if the metric registry already holds metrics of a pool with this name
         */
        public AsyncHttpConnectionPool start() {
            AsyncHttpConnectionPool[] made = new AsyncHttpConnectionPool[1];
            PoolCore core = PoolCore.start(config, ticker::getAsLong, metricRegistry, List.copyOf(trackerFactories),
                    c -> made[0] = new AsyncHttpConnectionPool(c));
            return made[0] != null ? made[0] : new AsyncHttpConnectionPool(core);
        }
    }
}
