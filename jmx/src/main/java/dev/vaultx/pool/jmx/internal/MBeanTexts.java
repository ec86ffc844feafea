package dev.vaultx.pool.jmx.internal;

import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;

/**
 * What JConsole shows next to our attributes and operations: descriptions, real parameter names
 * instead of {@code p0, p1}, and the impact of each operation. Bytecode keeps no parameter names,
 * hence the tables.
 *
 * <p>This class is immutable and thread-safe.
 */
final class MBeanTexts {

    static final MBeanTexts POOL = new MBeanTexts(
            "A vaultx-pool connection pool for one Vault cluster. Values are point-in-time; times in milliseconds.",
            Map.ofEntries(
                    Map.entry("Name", "The pool's name"),
                    Map.entry("Nodes", "The configured nodes as host:port"),
                    Map.entry("Size", "Connections kept per node"),
                    Map.entry("MaxOverflow", "Extra connections allowed per node when all Size are busy"),
                    Map.entry("TotalConnections", "Open connections to all nodes (active + idle)"),
                    Map.entry("ActiveConnections", "Connections leased to a request"),
                    Map.entry("IdleConnections", "Open connections waiting in the pool"),
                    Map.entry("PendingRequests", "Requests waiting for a connection"),
                    Map.entry("TotalRequests", "Requests accepted since start, each counted once"),
                    Map.entry("FailedRequests", "Requests that ended in an exception or a 5xx response since start"),
                    Map.entry("HealthStatus", "UP, DEGRADED or DOWN"),
                    Map.entry("ActiveNode", "The active node as host:port, empty if none is known"),
                    Map.entry("resize", "Changes connections kept per node and the overflow; in-flight requests are never failed"),
                    Map.entry("resize.size", "Connections kept per node, 1-10000"),
                    Map.entry("resize.maxOverflow", "Extra connections per node, 0-10000"),
                    Map.entry("drain", "Stops new requests to a node, waits for its requests, closes its connections"),
                    Map.entry("drain.node", "host:port, host_port or base URI"),
                    Map.entry("drain.timeoutMillis", "How long to wait for busy connections (ms), 0-3600000"),
                    Map.entry("drainAll", "Summaries every node (before a graceful shutdown)"),
                    Map.entry("drainAll.timeoutMillis", "How long to wait for busy connections (ms), 0-3600000"),
                    Map.entry("resume", "Takes a drained node back into service"),
                    Map.entry("resume.node", "host:port, host_port or base URI"),
                    Map.entry("evictIdle", "Closes every idle connection now; returns how many were idle"),
                    Map.entry("resetCircuit", "Closes a node's circuit breaker, forgetting its failures"),
                    Map.entry("resetCircuit.node", "host:port, host_port or base URI"),
                    Map.entry("checkHealthNow", "Probes every node now (waits up to 10 s) and returns the status")),
            Map.of("resize", new String[] {"size", "maxOverflow"},
                    "drain", new String[] {"node", "timeoutMillis"},
                    "drainAll", new String[] {"timeoutMillis"},
                    "resume", new String[] {"node"},
                    "resetCircuit", new String[] {"node"}),
            Map.of("checkHealthNow", MBeanOperationInfo.ACTION_INFO));

    static final MBeanTexts NODE = new MBeanTexts(
            "One node of a vaultx-pool connection pool. Values are point-in-time; times in milliseconds.",
            Map.ofEntries(
                    Map.entry("Node", "The node's base URI"),
                    Map.entry("Role", "The role from the last health probe (UNKNOWN before the first)"),
                    Map.entry("CircuitState", "CLOSED, OPEN or HALF_OPEN"),
                    Map.entry("ActiveConnections", "Leased connections"),
                    Map.entry("IdleConnections", "Idle connections"),
                    Map.entry("TotalConnections", "Open connections (active + idle)"),
                    Map.entry("PendingRequests", "Requests waiting for a connection to this node"),
                    Map.entry("InFlightRequests", "Requests sent to this node and not yet answered"),
                    Map.entry("MaxConnections", "The limit per node: Size + MaxOverflow"),
                    Map.entry("TotalRequests", "Tries sent to this node since start"),
                    Map.entry("FailedRequests", "Tries on this node that failed or answered 5xx since start"),
                    Map.entry("Draining", "True while the node is drained and takes no new requests"),
                    Map.entry("Usable", "True if the pool may send this node requests now"),
                    Map.entry("LastCheck", "When the last health probe completed (ISO-8601, UTC), empty before the first"),
                    Map.entry("LastProbeLatencyMillis", "The last health probe's round trip (ms), -1 before the first"),
                    Map.entry("ConsecutiveFailures", "Probes or requests that failed in a row"),
                    Map.entry("LastError", "The last failure, empty if none"),
                    Map.entry("ClusterId", "The cluster_id the node reported, empty if unknown"),
                    Map.entry("Version", "The server version the node reported, empty if unknown"),
                    Map.entry("drain", "Stops new requests to this node, waits for its requests, closes its connections"),
                    Map.entry("drain.timeoutMillis", "How long to wait for busy connections (ms), 0-3600000"),
                    Map.entry("resume", "Takes this node back into service after a drain"),
                    Map.entry("resetCircuit", "Closes this node's circuit breaker, forgetting its failures")),
            Map.of("drain", new String[] {"timeoutMillis"}),
            Map.of());

    private final String beanDescription;
    private final Map<String, String> descriptions;
    private final Map<String, String[]> parameterNames;
    private final Map<String, Integer> impacts;

    private MBeanTexts(String beanDescription, Map<String, String> descriptions, Map<String, String[]> parameterNames,
                       Map<String, Integer> impacts) {
        this.beanDescription = beanDescription;
        this.descriptions = descriptions;
        this.parameterNames = parameterNames;
        this.impacts = impacts;
    }

    String bean() {
        return beanDescription;
    }

    String attribute(MBeanAttributeInfo info) {
        return descriptions.getOrDefault(info.getName(), info.getDescription());
    }

    String operation(MBeanOperationInfo info) {
        return descriptions.getOrDefault(info.getName(), info.getDescription());
    }

    String parameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        String[] names = parameterNames.get(op.getName());
        return names != null && sequence < names.length ? names[sequence] : param.getName();
    }

    String parameter(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        String name = parameterName(op, param, sequence);
        return descriptions.getOrDefault(op.getName() + "." + name, param.getDescription());
    }

    /** Every operation changes the pool, except the ones listed as {@code ACTION_INFO}. */
    int impact(MBeanOperationInfo op) {
        return impacts.getOrDefault(op.getName(), MBeanOperationInfo.ACTION);
    }
}
