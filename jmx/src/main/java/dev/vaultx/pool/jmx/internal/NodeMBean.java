package dev.vaultx.pool.jmx.internal;

import dev.vaultx.pool.jmx.NodeMXBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * The registered node MBean: the {@link NodeMXBean} as an MXBean (open types), with JConsole texts
 * from {@link MBeanTexts#NODE}.
 *
 * <p>This class is thread-safe.
 */
final class NodeMBean extends StandardMBean {

    private volatile boolean registered;

    NodeMBean(NodeMXBean implementation) {
        super(implementation, NodeMXBean.class, true);
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
        return MBeanTexts.NODE.bean();
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        return MBeanTexts.NODE.attribute(info);
    }

    @Override
    protected String getDescription(MBeanOperationInfo info) {
        return MBeanTexts.NODE.operation(info);
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return MBeanTexts.NODE.parameterName(op, param, sequence);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return MBeanTexts.NODE.parameter(op, param, sequence);
    }

    @Override
    protected int getImpact(MBeanOperationInfo info) {
        return MBeanTexts.NODE.impact(info);
    }
}
