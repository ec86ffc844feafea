package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.jmx.PoolMXBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardEmitterMBean;

/**
 * The registered pool MBean: the {@link PoolMXBean} as an MXBean (open types) that also emits the
 * notifications of a {@link PoolNotifier}, with JConsole texts from {@link MBeanTexts#POOL}.
 *
 * <p>This class is thread-safe.
 */
final class PoolMBean extends StandardEmitterMBean {

    private volatile boolean registered;

    PoolMBean(PoolMXBean implementation, PoolNotifier notifier) {
        super(implementation, PoolMXBean.class, true, notifier);
    }

    /** @return {@code false} once unregistered, by us or by anyone calling {@code unregisterMBean} */
    boolean isRegistered() {
        return registered;
    }

    @Override
    public void postRegister(Boolean registrationDone) {
        registered = Boolean.TRUE.equals(registrationDone);
        super.postRegister(registrationDone);
    }

    @Override
    public void postDeregister() {
        registered = false;
        super.postDeregister();
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        return MBeanTexts.POOL.bean();
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        return MBeanTexts.POOL.attribute(info);
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return MBeanTexts.POOL.operation(info);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return MBeanTexts.POOL.parameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return MBeanTexts.POOL.parameter(op, param, sequence);
    }

    @Override
    protected int getImpact(MBeanOperationInfo info) {
        return MBeanTexts.POOL.impact(info);
    }
}
