package dev.vaultx.pool.mphealth;

import dev.vaultx.pool.impl.cdi.VaultPoolExtension;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds one {@code @Readiness} {@code HealthCheck} bean ({@link PoolReadinessCheck}) per pool that
 * {@link VaultPoolExtension} defines, when the MicroProfile Health API is visible to the application; without
 * it, it does nothing (this class refers to no MicroProfile Health type, so it loads anywhere).
 *
 * <p>It observes {@link AfterBeanDiscovery} after the pool extension (priority
 * {@code LIBRARY_AFTER + 500}), so the pool names are known. A check asks its pool for its health: a pool
 * configured {@code startup=lazy} is started by the first readiness probe.
 *
 * <p>Registered through {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}.
 */
public class ReadinessExtension implements Extension {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessExtension.class);
    private static final String HEALTH_API = "org.eclipse.microprofile.health.HealthCheck";

    void addChecks(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 500) AfterBeanDiscovery event, BeanManager beanManager) {
        if (!healthApiPresent()) {
            LOG.debug("vaultx-pool: no MicroProfile Health API, no readiness checks");
            return;
        }
        List<String> names = beanManager.getExtension(VaultPoolExtension.class).poolNames();
        ReadinessBeans.add(event, names);
        if (!names.isEmpty()) {
            LOG.info("vaultx-pool: readiness checks for the pools {}", names);
        }
    }

    private static boolean healthApiPresent() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {ReadinessExtension.class.getClassLoader(), tccl}) {
            if (loader == null) {
                continue;
            }
            try {
                Class.forName(HEALTH_API, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError absent) {
                // try the next loader
            }
        }
        return false;
    }
}
