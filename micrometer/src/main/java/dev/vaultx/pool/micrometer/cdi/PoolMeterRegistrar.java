package dev.vaultx.pool.micrometer.cdi;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.metrics.PoolMetricsTracker;
import dev.vaultx.pool.metrics.PoolMetricsTrackerFactory;
import dev.vaultx.pool.micrometer.MicrometerTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The Micrometer meters of every pool the container starts: a {@link PoolMetricsTrackerFactory} bean, which the
 * CDI integration of {@code vaultx-pool-impl} gives each pool it starts, making the tracker of
 * {@link MicrometerTrackerFactory} in the application's {@link MeterRegistry} bean ({@code @Default} qualifier):
 * gauges, counters, the request and try timers, failures by kind. With no such bean the pool has no Micrometer
 * meters (logged at DEBUG); with several, none is chosen (a WARNING names the pool). The meters are removed when
 * the pool closes, and at the latest when this bean is destroyed with the application.
 *
 * <p>Discovered through the module's {@code META-INF/beans.xml}. This class is thread-safe.
 */
@ApplicationScoped
public class PoolMeterRegistrar implements PoolMetricsTrackerFactory {

    private static final System.Logger LOG = System.getLogger(PoolMeterRegistrar.class.getName());

    @Inject
    Instance<MeterRegistry> registries;

    private final List<PoolMetricsTracker> trackers = new ArrayList<>();

    @Override
    public PoolMetricsTracker create(ConnectionPool pool) {
        if (registries.isUnsatisfied()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "vaultx-pool: no MeterRegistry bean, no Micrometer meters for the pool '"
                    + pool.name() + "'");
            return new PoolMetricsTracker() { };
        }
        if (registries.isAmbiguous()) {
            LOG.log(System.Logger.Level.WARNING, "vaultx-pool: several MeterRegistry beans, no Micrometer meters for the pool '"
                    + pool.name() + "' (make one @Default, e.g. a CompositeMeterRegistry)");
            return new PoolMetricsTracker() { };
        }
        PoolMetricsTracker tracker = new MicrometerTrackerFactory(registries.get()).create(pool);
        synchronized (trackers) {
            trackers.add(tracker);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "vaultx-pool: Micrometer meters for the pool '" + pool.name() + "'");
        return tracker;
    }

    @PreDestroy
    void closeAll() {
        List<PoolMetricsTracker> all;
        synchronized (trackers) {
            all = new ArrayList<>(trackers);
            trackers.clear();
        }
        all.forEach(PoolMetricsTracker::close);
    }
}
