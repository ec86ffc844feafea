package dev.vaultx.pool.micrometer;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.HealthStatus;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.PoolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds one pool's statistics and health to a Micrometer {@link MeterRegistry}: the seed's six statistics,
 * per node connections, tries, latency, breaker state and role, with the tags {@code pool} and
 * {@code node} ({@code host:port}). Names: {@link MeterNames}.
 *
 * <pre>{@code
 * PoolMeterBinder meters = new PoolMeterBinder(pool);
 * meters.bindTo(registry);          // removed again when the pool closes, or by meters.close()
 * }</pre>
 *
 * <p>Gauges and function counters read {@link ConnectionPool#stats()} and {@link ConnectionPool#health()}
 * when the registry asks (a scrape), each snapshot shared by all meters for 100 ms. Breaker openings and
 * role changes are counted from the pool's listener events, from the time of binding. When the pool
 * closes (its {@link PoolListener#onClose(String)}), or when {@link #close()} is called, every meter this
 * binder registered in every registry is removed; binding a closed pool or binding after {@link #close()}
 * registers nothing.
 *
 * <p>The binder reads the api only, so it works for any {@link ConnectionPool}. What only the pool's events
 * tell (a request timer by outcome and kind, failed requests by kind, try timers with a latency histogram, lease
 * waits, retries) comes with the metrics tracker of {@link MicrometerTrackerFactory}, which binds this binder too:
 * give a pool that factory instead of binding it here. This class is thread-safe.
 */
public final class PoolMeterBinder implements MeterBinder, AutoCloseable {

    private static final long SNAPSHOT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ConnectionPool pool;
    private final LongSupplier ticker;
    private final List<URI> nodes;
    private final Tags poolTags;
    /** Guarded by {@code this}: the meters registered, per registry. */
    private final Map<MeterRegistry, List<Meter>> registered = new HashMap<>();
    /** Guarded by {@code this}: the event counters of each registry, per node index. */
    private final Map<MeterRegistry, Counter[][]> eventCounters = new HashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;
    private final AutoCloseable listenerHandle;

    private volatile PoolStats stats;
    private volatile long statsAt;
    private volatile PoolHealth health;
    private volatile long healthAt;

    /**
     * @param pool the pool to measure; the binder listens to it from now on
     * @throws NullPointerException if {@code pool} is {@code null}
     */
    public PoolMeterBinder(ConnectionPool pool) {
        this(pool, System::nanoTime);
    }

    /** For tests: {@code ticker} is a monotonic nanosecond clock (the snapshot cache's). */
    PoolMeterBinder(ConnectionPool pool, LongSupplier ticker) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.nodes = pool.config().nodes();
        this.poolTags = Tags.of(MeterNames.TAG_POOL, pool.name());
        this.listenerHandle = pool.addListener(new Events());
    }

    /**
     * Binds a pool to a registry and returns the binder, to close it earlier than the pool.
     *
     * @param pool the pool
     * @param registry the registry
     * @return the bound binder
     */
    public static PoolMeterBinder bind(ConnectionPool pool, MeterRegistry registry) {
        PoolMeterBinder binder = new PoolMeterBinder(pool);
        binder.bindTo(registry);
        return binder;
    }

    /**
     * Registers the pool's meters. Binding the same registry twice registers them once.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (this) {
            if (closed || pool.isClosed() || registered.containsKey(registry)) {
                return;
            }
            List<Meter> meters = new ArrayList<>();
            registered.put(registry, meters);
            poolMeters(registry, meters);
            Counter[][] counters = new Counter[nodes.size()][];
            for (int i = 0; i < nodes.size(); i++) {
                counters[i] = nodeMeters(registry, meters, i);
            }
            eventCounters.put(registry, counters);
        }
    }

    private void poolMeters(MeterRegistry r, List<Meter> m) {
        gauge(r, m, MeterNames.CONNECTIONS, poolTags, "open connections to all nodes", b -> stats().totalConnections());
        gauge(r, m, MeterNames.CONNECTIONS_ACTIVE, poolTags, "leased connections", b -> stats().activeConnections());
        gauge(r, m, MeterNames.CONNECTIONS_IDLE, poolTags, "idle connections", b -> stats().idleConnections());
        gauge(r, m, MeterNames.REQUESTS_PENDING, poolTags, "requests waiting for a connection", b -> stats().pendingRequests());
        counter(r, m, MeterNames.REQUESTS, poolTags, "requests accepted", b -> stats().totalRequests());
        counter(r, m, MeterNames.REQUESTS_FAILED, poolTags, "requests that ended in an exception or a 5xx", b -> stats().failedRequests());
        gauge(r, m, MeterNames.HEALTH, poolTags, "0 UP, 1 DEGRADED, 2 DOWN", b -> healthValue(health().status()));
    }

    /** @return the node's event counters: [0] breaker openings, [1] role changes */
    private Counter[] nodeMeters(MeterRegistry r, List<Meter> m, int i) {
        Tags t = poolTags.and(MeterNames.TAG_NODE, hostPort(nodes.get(i)));
        gauge(r, m, MeterNames.NODE_CONNECTIONS, t, "open connections", b -> node(i).totalConnections());
        gauge(r, m, MeterNames.NODE_CONNECTIONS_ACTIVE, t, "leased connections", b -> node(i).activeConnections());
        gauge(r, m, MeterNames.NODE_CONNECTIONS_IDLE, t, "idle connections", b -> node(i).idleConnections());
        gauge(r, m, MeterNames.NODE_CONNECTIONS_MAX, t, "size + maxOverflow", b -> node(i).maxConnections());
        gauge(r, m, MeterNames.NODE_REQUESTS_PENDING, t, "requests waiting for a connection", b -> node(i).pendingRequests());
        gauge(r, m, MeterNames.NODE_REQUESTS_IN_FLIGHT, t, "requests sent, not answered yet", b -> node(i).inFlightRequests());
        counter(r, m, MeterNames.NODE_TRIES, t, "tries sent to the node", b -> node(i).totalRequests());
        counter(r, m, MeterNames.NODE_TRIES_FAILED, t, "tries that failed or answered 5xx", b -> node(i).failedRequests());
        counter(r, m, MeterNames.NODE_CONNECTIONS_OPENED, t, "connections opened", b -> node(i).connectionsOpened());
        counter(r, m, MeterNames.NODE_CONNECTIONS_CLOSED, t, "connections closed", b -> node(i).connectionsClosed());
        m.add(Gauge.builder(MeterNames.NODE_LATENCY, this, b -> seconds(node(i).latencyP50Millis()))
                .tags(t).tag(MeterNames.TAG_QUANTILE, "0.5").baseUnit("seconds").description("median try time, recent")
                .strongReference(true).register(r));
        m.add(Gauge.builder(MeterNames.NODE_LATENCY, this, b -> seconds(node(i).latencyP99Millis()))
                .tags(t).tag(MeterNames.TAG_QUANTILE, "0.99").baseUnit("seconds").description("99th percentile try time, recent")
                .strongReference(true).register(r));
        gauge(r, m, MeterNames.NODE_CIRCUIT_STATE, t, "0 CLOSED, 1 HALF_OPEN, 2 OPEN", b -> circuitValue(nodeHealth(i).circuitState()));
        gauge(r, m, MeterNames.NODE_ACTIVE, t, "1 while the node is the active node", b -> nodes.get(i).equals(health().activeNode()) ? 1 : 0);
        gauge(r, m, MeterNames.NODE_USABLE, t, "1 while the node may take requests", b -> nodeHealth(i).usable() ? 1 : 0);
        Counter opened = Counter.builder(MeterNames.NODE_CIRCUIT_OPENED).tags(t).description("breaker openings").register(r);
        Counter roles = Counter.builder(MeterNames.NODE_ROLE_CHANGES).tags(t).description("role changes").register(r);
        m.add(opened);
        m.add(roles);
        return new Counter[] {opened, roles};
    }

    private void gauge(MeterRegistry r, List<Meter> m, String name, Tags tags, String description, ToDoubleFunction<PoolMeterBinder> f) {
        m.add(Gauge.builder(name, this, f).tags(tags).description(description).strongReference(true).register(r));
    }

    private void counter(MeterRegistry r, List<Meter> m, String name, Tags tags, String description, ToDoubleFunction<PoolMeterBinder> f) {
        // a function counter keeps a weak reference to this binder: the pool's listener list holds it strongly
        m.add(FunctionCounter.builder(name, this, f).tags(tags).description(description).register(r));
    }

    /** By severity, not by declaration order: 0 CLOSED, 1 HALF_OPEN, 2 OPEN. */
    static int circuitValue(CircuitState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** 0 UP, 1 DEGRADED, 2 DOWN. */
    static int healthValue(HealthStatus status) {
        return switch (status) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
        };
    }

    private static double seconds(double millis) {
        return millis < 0 ? Double.NaN : millis / 1000.0;
    }

    private PoolStats stats() {
        long now = ticker.getAsLong();
        PoolStats s = stats;
        if (s == null || now - statsAt > SNAPSHOT_NANOS) {
            s = pool.stats();
            stats = s;
            statsAt = now;
        }
        return s;
    }

    private PoolHealth health() {
        long now = ticker.getAsLong();
        PoolHealth h = health;
        if (h == null || now - healthAt > SNAPSHOT_NANOS) {
            h = pool.health();
            health = h;
            healthAt = now;
        }
        return h;
    }

    private NodeStats node(int i) {
        return stats().nodes().get(i);
    }

    private NodeHealth nodeHealth(int i) {
        return health().nodes().get(i);
    }

    static String hostPort(URI node) {
        return node.getHost() + ":" + node.getPort();
    }

    /** @return the meters registered in {@code registry} now; empty when not bound or closed */
    synchronized List<Meter> meters(MeterRegistry registry) {
        return List.copyOf(registered.getOrDefault(registry, List.of()));
    }

    /** Removes every meter this binder registered, from every registry, and stops listening. Idempotent. */
    @Override
    public void close() {
        Map<MeterRegistry, List<Meter>> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new HashMap<>(registered);
            registered.clear();
            eventCounters.clear();
        }
        all.forEach((registry, meters) -> meters.forEach(registry::remove));
        try {
            listenerHandle.close();
        } catch (Exception e) {
            // the pool's handle only removes the listener from a list; nothing to report
        }
    }

    private synchronized void count(URI node, int which) {
        int i = nodes.indexOf(node);
        if (i < 0) {
            return;
        }
        for (Counter[][] counters : eventCounters.values()) {
            counters[i][which].increment();
        }
    }

    /** The pool's events: breaker openings and role changes are counted, closing removes everything. */
    private final class Events implements PoolListener {
        @Override
        public void onCircuitStateChange(String pool, URI node, CircuitState from, CircuitState to) {
            if (to == CircuitState.OPEN) {
                count(node, 0);
            }
        }

        @Override
        public void onRoleChange(String pool, URI node, NodeRole from, NodeRole to) {
            count(node, 1);
        }

        @Override
        public void onClose(String pool) {
            close();
        }

        @Override
        public String toString() {
            return "PoolMeterBinder(" + pool + ")";
        }
    }
}
