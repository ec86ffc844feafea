package dev.vaultx.pool.micrometer.cdi;

import dev.vaultx.pool.PoolStarted;
import dev.vaultx.pool.micrometer.PoolMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds every pool the container starts ({@link PoolStarted}, fired by the CDI integration of
 * {@code vaultx-pool-impl}) to the application's {@link MeterRegistry} bean ({@code @Default} qualifier),
 * with a {@link PoolMeterBinder}. With no such bean nothing is registered (logged at DEBUG); with several,
 * none is chosen (a WARNING names the pool). The meters are removed when the pool closes, and at the
 * latest when this bean is destroyed with the application.
 *
 * <p>Discovered through the module's {@code META-INF/beans.xml}. This class is thread-safe.
 */
@ApplicationScoped
public class PoolMeterRegistrar {

    private static final System.Logger LOG = System.getLogger(PoolMeterRegistrar.class.getName());

    @Inject
    Instance<MeterRegistry> registries;

    private final List<PoolMeterBinder> binders = new ArrayList<>();

    void bind(@Observes PoolStarted event) {
        if (registries.isUnsatisfied()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "vaultx-pool: no MeterRegistry bean, no Micrometer meters for the pool '"
                    + event.name() + "'");
            return;
        }
        if (registries.isAmbiguous()) {
            LOG.log(System.Logger.Level.WARNING, "vaultx-pool: several MeterRegistry beans, no Micrometer meters for the pool '"
                    + event.name() + "' (make one @Default, e.g. a CompositeMeterRegistry)");
            return;
        }
        PoolMeterBinder binder = PoolMeterBinder.bind(event.pool(), registries.get());
        synchronized (binders) {
            binders.add(binder);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "vaultx-pool: Micrometer meters for the pool '" + event.name() + "'");
    }

    @PreDestroy
    void closeAll() {
        List<PoolMeterBinder> all;
        synchronized (binders) {
            all = new ArrayList<>(binders);
            binders.clear();
        }
        all.forEach(PoolMeterBinder::close);
    }
}
