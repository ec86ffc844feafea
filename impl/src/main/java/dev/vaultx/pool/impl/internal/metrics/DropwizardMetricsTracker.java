package dev.vaultx.pool.impl.internal.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.impl.metrics.MetricNames;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Records the pool's metrics in a Dropwizard {@link MetricRegistry} under the names of
 * {@link MetricNames}. Timers use a {@link BucketReservoir}: lock-free counts per log-linear bucket
 * (within ~3 %) over the last one to two minutes, cheaper to update than any reservoir Dropwizard
 * offers, and {@link TickedRates} (Dropwizard's moving averages, fed at each tick). Every metric registered here is removed by {@link #close()}.
 *
 * <p>This class is thread-safe.
 */
public final class DropwizardMetricsTracker implements MetricsTracker {

    private static final long STATS_CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MetricRegistry registry;
    private final String pool;
    private final List<String> names = new ArrayList<>();
    /** Set by {@link #close()}; guarded by {@code names}. */
    private boolean closed;
    private final Timer requests;
    private final Timer leaseWait;
    private final Meter retries;
    private final Meter retriesRejected;
    private final Timer[] nodeTries;
    private final Meter[] nodeFailures;
    private final Counter[] nodeOpened;
    private final Counter[] nodeDiscarded;
    private final Meter[] nodeOpenedCircuits;
    private final ConcurrentHashMap<String, Meter> failures = new ConcurrentHashMap<>();
    private final Supplier<PoolStats> stats;
    private volatile PoolStats cached;
    private volatile long cachedAt;

    /**
     * Registers the pool's metrics.
     *
     * @param registry where to register
     * @param pool the pool's name
     * @param nodes the nodes, in configuration order
     * @param stats the pool's statistics, read by the gauges (cached for 100 ms)
     * @param circuit each node's breaker state by index
     * @throws IllegalArgumentException if a name is already registered (another pool with this name)
     */
    public DropwizardMetricsTracker(MetricRegistry registry, String pool, List<URI> nodes, Supplier<PoolStats> stats,
                                    IntFunction<CircuitState> circuit) {
        this.registry = registry;
        this.pool = pool;
        this.stats = stats;
        try {
            this.requests = register(MetricNames.pool(pool, MetricNames.REQUESTS), newTimer());
            this.leaseWait = register(MetricNames.pool(pool, MetricNames.LEASE_WAIT), newTimer());
            this.retries = register(MetricNames.pool(pool, MetricNames.RETRIES), new Meter());
            this.retriesRejected = register(MetricNames.pool(pool, MetricNames.RETRIES_REJECTED), new Meter());
            gauge(MetricNames.TOTAL_CONNECTIONS, PoolStats::totalConnections);
            gauge(MetricNames.ACTIVE_CONNECTIONS, PoolStats::activeConnections);
            gauge(MetricNames.IDLE_CONNECTIONS, PoolStats::idleConnections);
            gauge(MetricNames.PENDING_REQUESTS, PoolStats::pendingRequests);
            gauge(MetricNames.TOTAL_REQUESTS, PoolStats::totalRequests);
            gauge(MetricNames.FAILED_REQUESTS, PoolStats::failedRequests);
            int n = nodes.size();
            nodeTries = new Timer[n];
            nodeFailures = new Meter[n];
            nodeOpened = new Counter[n];
            nodeDiscarded = new Counter[n];
            nodeOpenedCircuits = new Meter[n];
            for (int i = 0; i < n; i++) {
                URI u = nodes.get(i);
                int index = i;
                nodeTries[i] = register(MetricNames.node(pool, u, MetricNames.NODE_TRIES), newTimer());
                nodeFailures[i] = register(MetricNames.node(pool, u, MetricNames.NODE_FAILURES), new Meter());
                nodeOpened[i] = register(MetricNames.node(pool, u, MetricNames.NODE_CONNECTIONS_OPENED), new Counter());
                nodeDiscarded[i] = register(MetricNames.node(pool, u, MetricNames.NODE_CONNECTIONS_DISCARDED), new Counter());
                nodeOpenedCircuits[i] = register(MetricNames.node(pool, u, MetricNames.NODE_CIRCUIT_OPENED), new Meter());
                register(MetricNames.node(pool, u, MetricNames.NODE_CIRCUIT_STATE),
                        (Gauge<Integer>) () -> severity(circuit.apply(index)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Timer newTimer() {
        return TickedRates.timer(new BucketReservoir(), com.codahale.metrics.Clock.defaultClock());
    }

    private <T extends Metric> T register(String name, T metric) {
        T m = registry.register(name, metric);
        names.add(name);
        return m;
    }

    private void gauge(String metric, ToLongFunction<PoolStats> value) {
        register(MetricNames.pool(pool, metric), (Gauge<Long>) () -> value.applyAsLong(snapshot()));
    }

    private PoolStats snapshot() {
        long now = System.nanoTime();
        PoolStats s = cached;
        if (s == null || now - cachedAt > STATS_CACHE_NANOS) {
            s = stats.get();
            cached = s;
            cachedAt = now;
        }
        return s;
    }

    @Override
    public void requestCompleted(long nanos, String failureKind) {
        requests.update(nanos, TimeUnit.NANOSECONDS);
        if (failureKind != null) {
            failures.computeIfAbsent(failureKind, this::failureMeter).mark();
        }
    }

    private Meter failureMeter(String kind) {
        String name = MetricNames.failed(pool, kind);
        synchronized (names) {
            if (closed) {
                // a request that fails after (or while) the pool closes must not put a name back into the
                // registry: it would stay there for good and a new pool of this name could not register
                return new Meter();
            }
            Meter m = registry.meter(name);
            names.add(name);
            return m;
        }
    }

    @Override
    public void tryCompleted(int node, long nanos, boolean failed) {
        if (nanos >= 0) {
            nodeTries[node].update(nanos, TimeUnit.NANOSECONDS);
        }
        if (failed) {
            nodeFailures[node].mark();
        }
    }

    @Override
    public void leaseWaited(long nanos) {
        leaseWait.update(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retried() {
        retries.mark();
    }

    @Override
    public void retryRejected() {
        retriesRejected.mark();
    }

    @Override
    public void connectionOpened(int node) {
        nodeOpened[node].inc();
    }

    @Override
    public void connectionDiscarded(int node) {
        nodeDiscarded[node].inc();
    }

    @Override
    public void circuitChanged(int node, CircuitState to) {
        if (to == CircuitState.OPEN) {
            nodeOpenedCircuits[node].mark();
        }
    }

    @Override
    public double[] nodeLatencyMillis(int node) {
        if (nodeTries[node].getCount() == 0) {
            return new double[] {-1, -1};
        }
        com.codahale.metrics.Snapshot s = nodeTries[node].getSnapshot();
        if (s.size() == 0) {
            // no try in the reservoir's windows (the last one to two minutes): unknown rather than 0 ms
            return new double[] {-1, -1};
        }
        return new double[] {s.getMedian() / 1e6, s.get99thPercentile() / 1e6};
    }

    @Override
    public void close() {
        synchronized (names) {
            closed = true;
            for (String n : names) {
                registry.remove(n);
            }
            names.clear();
        }
    }

    /** The breaker state as the gauge reports it, by severity (not declaration order): 0 closed, 1 half-open, 2 open. */
    static int severity(dev.vaultx.pool.CircuitState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }
}
