package dev.vaultx.pool.jmx;

import static dev.vaultx.pool.jmx.testing.RemoteJmx.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.testing.RemoteJmx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registration and unregistration, checked with {@code queryNames} through the RMI connector. */
class RegistrationRemoteTest {

    private static RemoteJmx remote;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteJmx.start();
    }

    @AfterAll
    static void stop() throws Exception {
        remote.close();
    }

    @AfterEach
    void closePools() {
        remote.closePools();
    }

    private static List<ObjectName> remoteNames(String poolName) throws Exception {
        return new ArrayList<>(remote.connection.queryNames(new ObjectName("dev.vaultx:name=" + ObjectName.quote(poolName) + ",*"), null));
    }

    @Test
    void closingThePoolUnregistersEverything() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool("jmx-close-pool");
        Registration registration = PoolMBeans.register(pool);
        assertThat(remoteNames("jmx-close-pool")).containsExactlyInAnyOrderElementsOf(registration.objectNames()).hasSize(4);

        pool.close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(remoteNames("jmx-close-pool")).isEmpty());
        assertThat(registration.isClosed()).isTrue();
        registration.close();
    }

    @Test
    void closingTheRegistrationUnregistersEverythingAndLeavesThePoolRunning() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool("jmx-close-reg");
        Registration registration = PoolMBeans.register(pool);
        assertThat(remoteNames("jmx-close-reg")).hasSize(4);

        registration.close();
        registration.close();

        assertThat(remoteNames("jmx-close-reg")).isEmpty();
        assertThat(remote.connection.queryNames(PoolMBeans.poolPattern("jmx-close-reg"), null)).isEmpty();
        assertThat(read(pool).status()).isEqualTo(200);
        pool.close();

        // the pool can be registered again under its name after a new start
        AsyncHttpConnectionPool again = remote.pool("jmx-close-reg");
        try (Registration second = PoolMBeans.register(again)) {
            assertThat(remoteNames("jmx-close-reg")).containsExactlyInAnyOrderElementsOf(second.objectNames()).hasSize(4);
        }
        assertThat(remoteNames("jmx-close-reg")).isEmpty();
    }

    @Test
    void aSecondPoolWithTheSameNameFailsAndLeavesTheFirstIntact() throws Exception {
        AsyncHttpConnectionPool first = remote.pool("jmx-dup", b -> b.size(2));
        AsyncHttpConnectionPool second = remote.pool("jmx-dup", b -> b.size(3));
        Registration registration = remote.closeLater(PoolMBeans.register(first));
        ObjectName name = PoolMBeans.poolObjectName("jmx-dup");

        assertThatThrownBy(() -> PoolMBeans.register(second))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.vaultx:type=ConnectionPool,name=\"jmx-dup\"")
                .hasMessageContaining("already registered")
                .hasCauseInstanceOf(InstanceAlreadyExistsException.class);
        assertThatThrownBy(() -> PoolMBeans.register(first)).isInstanceOf(IllegalStateException.class);

        assertThat(remoteNames("jmx-dup")).containsExactlyInAnyOrderElementsOf(registration.objectNames());
        assertThat(remote.connection.getAttribute(name, "Size")).isEqualTo(2);
        // closing the second pool does not touch the first one's MBeans
        second.close();
        assertThat(remoteNames("jmx-dup")).hasSize(4);
        assertThat(remote.connection.getAttribute(name, "Name")).isEqualTo("jmx-dup");
    }

    @Test
    void aFailureHalfwayRollsBackWhatWasRegistered() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        AsyncHttpConnectionPool pool = remote.pool("jmx-rollback");
        ObjectName taken = PoolMBeans.nodeObjectName("jmx-rollback", remote.cluster.node(2).uri());
        server.registerMBean(new StandardMBean(new Dummy(), DummyMBean.class), taken);

        assertThatThrownBy(() -> PoolMBeans.register(pool, server))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(taken.toString());

        assertThat(server.queryNames(PoolMBeans.poolPattern("jmx-rollback"), null)).containsExactly(taken);
        server.unregisterMBean(taken);
        try (Registration ok = PoolMBeans.register(pool, server)) {
            assertThat(server.queryNames(PoolMBeans.poolPattern("jmx-rollback"), null))
                    .containsExactlyInAnyOrderElementsOf(ok.objectNames()).hasSize(4);
        }
        assertThat(server.queryNames(PoolMBeans.poolPattern("jmx-rollback"), null)).isEmpty();
    }

    @Test
    void aClosedPoolCannotBeRegistered() throws Exception {
        AsyncHttpConnectionPool pool = remote.pool("jmx-closed");
        pool.close();

        assertThatThrownBy(() -> PoolMBeans.register(pool))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pool 'jmx-closed' is closed");
        assertThat(remoteNames("jmx-closed")).isEmpty();
    }

    @Test
    void closeDoesNotRemoveABeanSomeoneElseRegisteredUnderTheSameNameLater() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        AsyncHttpConnectionPool a = remote.pool("jmx-takeover");
        AsyncHttpConnectionPool b = remote.pool("jmx-takeover");
        Registration first = PoolMBeans.register(a, server);
        for (ObjectName n : first.objectNames()) {
            server.unregisterMBean(n);   // an operator or a container removes them behind our back
        }
        Registration second = remote.closeLater(PoolMBeans.register(b, server));

        first.close();

        assertThat(remoteNames("jmx-takeover")).containsExactlyInAnyOrderElementsOf(second.objectNames());
    }

    @Test
    void concurrentRegistrationsOfOneNameLetExactlyOneWin() throws Exception {
        List<AsyncHttpConnectionPool> pools = List.of(remote.pool("jmx-race"), remote.pool("jmx-race"), remote.pool("jmx-race"));
        ExecutorService threads = Executors.newFixedThreadPool(pools.size());
        try {
            List<Callable<Registration>> tasks = new ArrayList<>();
            for (AsyncHttpConnectionPool p : pools) {
                tasks.add(() -> PoolMBeans.register(p));
            }
            int won = 0;
            for (Future<Registration> f : threads.invokeAll(tasks)) {
                try {
                    remote.closeLater(f.get());
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(remoteNames("jmx-race")).hasSize(4);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A stranger's MBean. */
    public interface DummyMBean {
        int getValue();
    }

    static final class Dummy implements DummyMBean {
        @Override
        public int getValue() {
            return 1;
        }
    }
}
