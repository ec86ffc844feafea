package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;

/**
 * What the end of a try does to its node: the breaker outcome given back with the try's permit, the node's
 * counts, the try metrics and the connection's return, and the typed failure a failed try stands for. The
 * node's half of a try's outcome, so that {@link RequestExecution} only decides what its request does next.
 *
 * <p>Stateless. Each method is called once per try, inside the gate of the request whose try ended.
 */
final class TryResults {

    /** A success is noted on the node at most once a millisecond: a volatile write per answer bounces its line. */
    private static final long LAST_SUCCESS_GRANULARITY_NANOS = 1_000_000L;

    private TryResults() {
    }

    /**
     * A try got an answer: counts it (a 5xx, sealed or rate-limit answer against the node), gives its permit
     * back and its connection to the pool.
     *
     * @param now ticker time the answer arrived
     * @return how the answer is to be treated
     */
    static Outcome answered(PoolRuntime rt, Attempt a, VaultResponse response, long now) {
        NodeState node = a.node;
        Outcome outcome = Outcome.of(response);
        boolean failed = outcome.countsAgainstNode();
        rt.metrics.tryCompleted(node.index, now - a.startNanos, failed);
        if (!failed && now - node.lastSuccessNanos > LAST_SUCCESS_GRANULARITY_NANOS) {
            node.lastSuccessNanos = now;
        }
        node.record(a.permit, failed ? NodeBreaker.FAILURE : NodeBreaker.SUCCESS, failed);
        a.lease.release(true);
        return outcome;
    }

    /**
     * The HTTP layer refused the request before a byte of it was sent: the request's own fault, which every node
     * would refuse alike. Nothing counts against the node.
     *
     * @param what the request as messages name it ({@link RequestCompletion#describe})
     * @return the {@link FailureKind#REQUEST_INVALID} failure the request ends with, without a retry
     */
    static VaultTransportException rejected(PoolRuntime rt, NodeState node, BreakerPermit permit, String what,
                                            Exception ex) {
        permit.neutral();
        rt.metrics.tryCompleted(node.index, -1, false);
        return new VaultTransportException(rt.name, node.uri, FailureKind.REQUEST_INVALID,
                FailureKind.REQUEST_INVALID + ": " + what + " was refused before sending (" + Failures.describe(ex) + ")",
                Failures.cause(ex));
    }

    /**
     * A try failed without an answer, or its connection could not be opened. A TLS failure is a configuration
     * error, the same on every node: its permit goes back neutral and it counts nowhere. Any other failure counts
     * against the node, except a body larger than the pool accepts, which is the node's answer (any node would
     * send it; counting it would let one big secret, read a few times, open the active node's breaker).
     *
     * @param connecting whether the failure was opening the connection (the try is then counted here)
     * @param tryStartNanos ticker time the try was sent, or -1 if it never had a connection
     * @return the failure, of the kind {@link Failures#kindOf} gives
     */
    static VaultTransportException failed(PoolRuntime rt, NodeState node, BreakerPermit permit, Exception ex,
                                          boolean connecting, long tryStartNanos) {
        FailureKind kind = Failures.kindOf(ex, connecting);
        VaultTransportException failure = new VaultTransportException(rt.name, node.uri, kind,
                kind + " on " + node.uri + " (" + Failures.describe(ex) + ")", Failures.cause(ex));
        if (kind == FailureKind.TLS) {
            permit.neutral();
            return failure;
        }
        if (connecting) {
            node.tries.increment(); // the try that could not connect: counted so that failed <= total
        }
        node.record(permit, kind == FailureKind.RESPONSE_TOO_LARGE ? NodeBreaker.SUCCESS : NodeBreaker.FAILURE, true);
        rt.metrics.tryCompleted(node.index, tryStartNanos < 0 ? -1 : rt.ticker.nanoTime() - tryStartNanos, true);
        return failure;
    }
}
