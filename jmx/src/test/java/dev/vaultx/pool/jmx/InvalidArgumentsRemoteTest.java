package dev.vaultx.pool.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import dev.vaultx.pool.jmx.testing.RemoteJmx;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invalid arguments fail remotely with the api's {@code name: value (expected: ...)} message, in
 * exceptions a client without our jars (JConsole) can unmarshal and show.
 */
class InvalidArgumentsRemoteTest {

    private static final String STRING = String.class.getName();

    private static RemoteJmx remote;
    private static AsyncHttpConnectionPool pool;
    private static ObjectName poolName;
    private static ObjectName node0;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteJmx.start();
        pool = remote.pool("jmx-invalid");
        remote.closeLater(PoolMBeans.register(pool));
        poolName = PoolMBeans.poolObjectName("jmx-invalid");
        node0 = PoolMBeans.nodeObjectName("jmx-invalid", remote.cluster.node(0).uri());
    }

    @AfterAll
    static void stop() throws Exception {
        remote.close();
    }

    private static Throwable invoke(ObjectName name, String operation, Object[] params, String[] signature) {
        Throwable thrown = catchThrowable(() -> remote.connection.invoke(name, operation, params, signature));
        assertThat(thrown).as(operation).isNotNull();
        return thrown;
    }

    /** What JConsole shows: the exception unwrapped from RuntimeMBeanException, JDK classes only. */
    private static void assertReadable(Throwable thrown, String message) {
        assertThat(thrown).isInstanceOf(RuntimeMBeanException.class);
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            chain.add(t);
        }
        assertThat(chain).allSatisfy(t -> assertThat(t.getClass().getName()).startsWith("java"));
        Throwable target = ((RuntimeMBeanException) thrown).getTargetException();
        assertThat(target).isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining(message).hasNoCause();
        assertThat(thrown.getMessage()).isEqualTo("java.lang.IllegalArgumentException: " + target.getMessage());
    }

    @Test
    void resizeToSizeZero() {
        assertReadable(invoke(poolName, "resize", new Object[] {0, 1}, new String[] {"int", "int"}),
                "size: 0 (expected: 1-10000)");
        assertThat(pool.stats().size()).isEqualTo(2);
    }

    @Test
    void resizeToNegativeOverflow() {
        assertReadable(invoke(poolName, "resize", new Object[] {1, -1}, new String[] {"int", "int"}),
                "maxOverflow: -1 (expected: 0-10000)");
    }

    @Test
    void unknownNode() {
        String[] names = {STRING, "long"};
        assertReadable(invoke(poolName, "drain", new Object[] {"nope:1", 100L}, names), "node: nope:1 (expected: one of [");
        assertReadable(invoke(poolName, "resume", new Object[] {"nope:1"}, new String[] {STRING}), "node: nope:1 (expected: ");
        assertReadable(invoke(poolName, "resetCircuit", new Object[] {"nope:1"}, new String[] {STRING}), "node: nope:1 (expected: ");
        assertThat(pool.stats().nodes()).noneSatisfy(n -> assertThat(n.draining()).isTrue());
    }

    @Test
    void negativeTimeout() {
        String port = "127.0.0.1:" + remote.cluster.node(0).port();
        assertReadable(invoke(poolName, "drain", new Object[] {port, -1L}, new String[] {STRING, "long"}),
                "timeoutMillis: -1 (expected: 0-3600000)");
        assertReadable(invoke(poolName, "drainAll", new Object[] {-5L}, new String[] {"long"}),
                "timeoutMillis: -5 (expected: 0-3600000)");
        assertReadable(invoke(node0, "drain", new Object[] {-1L}, new String[] {"long"}),
                "timeoutMillis: -1 (expected: 0-3600000)");
        assertThat(pool.stats().nodes()).noneSatisfy(n -> assertThat(n.draining()).isTrue());
    }

    @Test
    void typedProxyThrowsTheIllegalArgumentException() {
        PoolMXBean proxy = JMX.newMXBeanProxy(remote.connection, poolName, PoolMXBean.class);
        Throwable thrown = catchThrowable(() -> proxy.resize(0, 0));
        assertThat(thrown).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("size: 0 (expected: 1-10000)");
    }
}
