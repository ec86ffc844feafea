package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.PoolMXBean;
import java.net.URI;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * Turns the pool's role and breaker events into JMX notifications of the pool MBean. The pool calls
 * us on its own threads and asks us not to block, so the notifications are handed to JMX listeners
 * on one notifier thread of ours (in order; it ends when idle). When more than {@value #QUEUE}
 * notifications wait, the oldest are dropped: they report states that have since changed again.
 *
 * <p>This class is thread-safe.
 */
final class PoolNotifier extends NotificationBroadcasterSupport {

    private static final int QUEUE = 1_000;

    static final CompositeType NODE_CHANGE = nodeChangeType();

    private static final MBeanNotificationInfo[] INFO = {
        new MBeanNotificationInfo(new String[] {PoolMXBean.ROLE_NOTIFICATION}, Notification.class.getName(),
                "A health probe saw a node's role change; userData: CompositeData {pool, node, from, to}"),
        new MBeanNotificationInfo(new String[] {PoolMXBean.CIRCUIT_NOTIFICATION}, Notification.class.getName(),
                "A node's circuit breaker changed state; userData: CompositeData {pool, node, from, to}"),
    };

    private final ObjectName source;
    private final ThreadPoolExecutor executor;
    private final AtomicLong sequence = new AtomicLong();

    private PoolNotifier(ObjectName source, ThreadPoolExecutor executor) {
        super(executor, INFO);
        this.source = source;
        this.executor = executor;
    }

    static PoolNotifier create(String poolName, ObjectName source) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                task -> {
                    Thread t = new Thread(task, "vaultx-jmx-notifier-" + poolName);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardOldestPolicy());
        executor.allowCoreThreadTimeOut(true);
        return new PoolNotifier(source, executor);
    }

    void roleChanged(String pool, URI node, NodeRole from, NodeRole to) {
        send(PoolMXBean.ROLE_NOTIFICATION, pool, node, "role", String.valueOf(from), String.valueOf(to));
    }

    void circuitChanged(String pool, URI node, CircuitState from, CircuitState to) {
        send(PoolMXBean.CIRCUIT_NOTIFICATION, pool, node, "circuit breaker", String.valueOf(from), String.valueOf(to));
    }

    private void send(String type, String pool, URI node, String what, String from, String to) {
        if (executor.isShutdown()) {
            return;
        }
        String hostPort = PoolMBeans.hostPort(node);
        Notification n = new Notification(type, source, sequence.incrementAndGet(),
                pool + ": " + what + " of " + hostPort + " changed from " + from + " to " + to);
        n.setUserData(nodeChange(pool, hostPort, from, to));
        sendNotification(n);
    }

    /** Stops the notifier thread once the queued notifications are out. */
    void shutdown() {
        executor.shutdown();
    }

    static CompositeData nodeChange(String pool, String node, String from, String to) {
        try {
            return new CompositeDataSupport(NODE_CHANGE, new String[] {"pool", "node", "from", "to"},
                    new Object[] {pool, node, from, to});
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompositeType nodeChangeType() {
        try {
            return new CompositeType("dev.vaultx.pool.NodeChange", "A change of a node's role or circuit breaker state",
                    new String[] {"pool", "node", "from", "to"},
                    new String[] {"The pool's name", "The node as host:port", "The previous value", "The new value"},
                    new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
