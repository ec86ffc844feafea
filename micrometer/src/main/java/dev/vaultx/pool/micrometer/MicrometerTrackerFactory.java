package dev.vaultx.pool.micrometer;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.metrics.PoolMetricsTracker;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Gives a pool all of its Micrometer meters in one registry: the gauges and counters of {@link PoolMeterBinder}
 * (statistics, health, breaker state, connections opened and closed) plus what only the pool's events tell: a
 * request timer tagged by outcome and kind, failed requests by kind, a try timer per node with a latency
 * histogram, the lease wait timer and the retry counters. Tags {@code pool} and {@code node}; names in
 * {@link MeterNames}; everything is removed when the pool closes.
 *
 * <pre>{@code
 * AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.builder(config)
 *         .metricsTrackerFactory(new MicrometerTrackerFactory(meterRegistry))
 *         .start();
 * }</pre>
 *
 * <p>The timers publish a percentile histogram (Prometheus {@code _bucket} series, Micrometer's default buckets
 * from 1 ms to 30 s); a {@code MeterFilter} of the registry can change that. Give each pool of one registry its own
 * name: two pools of one name would share (and, closing, remove) each other's meters. This class is thread-safe.
 *
 * @since 0.2.0
 */
public final class MicrometerTrackerFactory implements PoolMetricsTrackerFactory {

    private static final System.Logger LOG = System.getLogger(MicrometerTrackerFactory.class.getName());

    private final MeterRegistry registry;

    /**
     * @param registry where the meters of every pool made with this factory go
     * @throws NullPointerException if {@code registry} is {@code null}
     */
    public MicrometerTrackerFactory(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * @return the pool's tracker; one that records nothing if the registry already holds meters of a pool of this
     *         name (a second tracker would share them: every event would count twice, and closing either tracker would
     *         remove the other's meters), e.g. a composite registry and its child both offered as registries
     */
    @Override
    public PoolMetricsTracker create(ConnectionPool pool) {
        synchronized (MicrometerTrackerFactory.class) { // the check and the registration, one pool at a time
            if (registry.find(MeterNames.LEASE_WAIT).tag(MeterNames.TAG_POOL, pool.name()).meter() != null) {
                LOG.log(System.Logger.Level.WARNING, "vaultx-pool: the registry " + registry.getClass().getSimpleName()
                        + " already holds the meters of a pool named '" + pool.name() + "'; this tracker records nothing");
                return new PoolMetricsTracker() { };
            }
            return new MicrometerTracker(pool, registry);
        }
    }

    /** @return the registry */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public String toString() {
        return "MicrometerTrackerFactory(" + registry.getClass().getSimpleName() + ")";
    }
}
