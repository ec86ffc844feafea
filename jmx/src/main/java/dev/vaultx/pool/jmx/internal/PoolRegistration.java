package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.CircuitState;
import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolListener;
import dev.vaultx.pool.jmx.PoolMBeans;
import dev.vaultx.pool.jmx.Registration;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The MBeans of one pool in one MBeanServer, and the pool listener feeding their notifications.
 *
 * <p>Registration order is the pool bean first, then the node beans: a pool name taken by another
 * pool fails on the first name, before anything of ours is registered. Any failure unregisters what
 * this registration made. Unregistration touches only beans that are still ours (each bean knows
 * whether it is still registered), so it never removes a bean someone registered later under the
 * same name.
 *
 * <p>This class is thread-safe: {@link #close()} may race with the pool's own close.
 */
public final class PoolRegistration implements Registration {

    private static final System.Logger LOG = System.getLogger(PoolRegistration.class.getName());

    private final String poolName;
    private final MBeanServer server;
    private final PoolNotifier notifier;
    private final List<Registered> registered = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AutoCloseable listenerHandle;

    private PoolRegistration(String poolName, MBeanServer server, PoolNotifier notifier) {
        this.poolName = poolName;
        this.server = server;
        this.notifier = notifier;
    }

    /**
     * @throws IllegalStateException if the pool is closed or a name is taken; nothing stays registered then
     */
    public static PoolRegistration register(ConnectionPool pool, MBeanServer server) {
        String poolName = pool.name();
        if (pool.isClosed()) {
            throw new IllegalStateException("pool '" + poolName + "' is closed (expected: an open pool to register)");
        }
        ObjectName poolObjectName = PoolMBeans.poolObjectName(poolName);
        PoolRegistration r = new PoolRegistration(poolName, server, PoolNotifier.create(poolName, poolObjectName));
        try {
            r.add(poolObjectName, new PoolMBean(new PoolMXBeanImpl(pool), r.notifier));
            for (URI node : pool.config().nodes()) {
                r.add(PoolMBeans.nodeObjectName(poolName, node), new NodeMBean(new NodeMXBeanImpl(pool, node)));
            }
            // after the beans: onClose may come at once (the pool closing right now) and must find them
            r.listenerHandle = pool.addListener(r.new Forwarder());
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        // a pool closed while we registered may never call onClose (listeners added after its close are not called)
        if (pool.isClosed()) {
            r.close();
            throw new IllegalStateException("pool '" + poolName + "' was closed while its MBeans were registered");
        }
        return r;
    }

    private void add(ObjectName name, Object mbean) {
        try {
            server.registerMBean(mbean, name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("pool '" + poolName + "': the MBean " + name + " is already registered in this "
                    + "MBeanServer (expected: one registration per pool name; close the Registration or the pool "
                    + "that owns it first)", e);
        } catch (JMException e) {
            throw new IllegalStateException("pool '" + poolName + "': cannot register the MBean " + name + ": " + e, e);
        }
        registered.add(new Registered(name, mbean));
    }

    @Override
    public List<ObjectName> objectNames() {
        synchronized (registered) {
            return registered.stream().map(Registered::name).toList();
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        AutoCloseable handle = listenerHandle;
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "pool '" + poolName + "': removing the JMX listener failed", e);
            }
        }
        List<Registered> beans;
        synchronized (registered) {
            beans = new ArrayList<>(registered);
        }
        Collections.reverse(beans);
        for (Registered b : beans) {
            if (!b.isStillOurs()) {
                continue;
            }
            try {
                server.unregisterMBean(b.name);
            } catch (InstanceNotFoundException alreadyGone) {
                // unregistered by someone else meanwhile
            } catch (JMException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "pool '" + poolName + "': cannot unregister the MBean " + b.name, e);
            }
        }
        notifier.shutdown();
    }

    @Override
    public String toString() {
        return "Registration[" + poolName + ", " + registered.size() + " MBeans" + (closed.get() ? ", closed" : "") + "]";
    }

    /** An MBean we registered. */
    private record Registered(ObjectName name, Object mbean) {

        boolean isStillOurs() {
            if (mbean instanceof PoolMBean p) {
                return p.isRegistered();
            }
            return ((NodeMBean) mbean).isRegistered();
        }
    }

    /** Feeds the notifications; unregisters everything when the pool closes. */
    private final class Forwarder implements PoolListener {

        @Override
        public void onRoleChange(String pool, URI node, NodeRole from, NodeRole to) {
            notifier.roleChanged(pool, node, from, to);
        }

        @Override
        public void onCircuitStateChange(String pool, URI node, CircuitState from, CircuitState to) {
            notifier.circuitChanged(pool, node, from, to);
        }

        @Override
        public void onClose(String pool) {
            close();
        }

        @Override
        public String toString() {
            return "JMX registration of pool '" + poolName + "'";
        }
    }
}
