package dev.vaultx.pool.mphealth;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultPool;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/** The synthetic readiness beans; loaded only once the MicroProfile Health API is known to be there. Stateless. */
final class ReadinessBeans {

    private ReadinessBeans() {
    }

    static void add(AfterBeanDiscovery event, List<String> poolNames) {
        for (String name : poolNames) {
            event.addBean()
                    .id(ReadinessExtension.class.getName() + "#" + name)
                    .beanClass(PoolReadinessCheck.class)
                    .types(HealthCheck.class, PoolReadinessCheck.class, Object.class)
                    .qualifiers(Readiness.Literal.INSTANCE, Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .produceWith(instance -> new PoolReadinessCheck(name,
                            instance.select(ConnectionPool.class, VaultPool.Literal.of(name)).get()));
        }
    }
}
