package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.VaultPoolException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One request on its way through the pool: choose a node, wait for a connection ({@link LeaseStep}), send
 * and wait for the answer ({@link Attempt}), then complete, or retry, redirect or wait out an election as
 * {@link OutcomePolicy} decides. What a try's end does to its node is {@link TryResults}'; the future and the
 * statistics of the end are {@link RequestCompletion}'s. Every path ends in exactly one completion of the
 * request's future, at the latest when the deadline passes.
 *
 * <p>Steps run one at a time: this object is a {@link SerialGate}, and every event — connection granted or
 * refused, response, failure, cancellation, expiry of the try or of the wait, the deadline, a retry's
 * timer, the caller completing the future, the pool closing — is a step through it, on whichever thread
 * brings it (the timer only hands its events to the pool's worker). So the mutable fields need no lock and
 * no step can interleave with another: a deadline cannot pass between a connection being granted and its
 * try being watched. {@link #current} and {@link #lease} are volatile for the {@link TimeoutSweeper}, which
 * only reads them to find what is due.
 *
 * <p>This class is thread-safe.
 */
final class RequestExecution extends LiveRequests.Entry
        implements Attempt.Outcomes, BiConsumer<VaultResponse, Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(RequestExecution.class);

    private final PoolRuntime rt;
    private final VaultRequest request;
    private final RequestCompletion end;
    private final long deadlineNanos;
    private final Duration timeout;
    private final OutcomePolicy policy;
    /** The wait for a connection under way, or {@code null}. */
    private volatile LeaseStep lease;
    /** The try under way, or {@code null} between tries. */
    private volatile Attempt current;
    /** Whether the caller completed the future: a try aborted for it says nothing about its node. */
    private boolean callerEnded;

    RequestExecution(PoolRuntime rt, VaultRequest request) {
        this.rt = rt;
        this.request = request;
        this.timeout = request.timeout().orElse(rt.config.requestTimeout());
        long start = rt.ticker.nanoTime();
        this.end = new RequestCompletion(rt, this, start);
        this.deadlineNanos = start + Durations.nanos(timeout);
        this.policy = new OutcomePolicy(rt, request);
    }

    CompletableFuture<VaultResponse> start() {
        rt.totalRequests.increment();
        // the caller may complete the future (cancel, orTimeout): see accept
        end.result.whenComplete(this);
        if (rt.isClosed()) {
            fail(new PoolClosedException(rt.name));
            return end.result;
        }
        end.counted();
        if (!rt.timeouts.ensureRunning()) {
            fail(new PoolClosedException(rt.name)); // the pool closed after the check above
            return end.result;
        }
        execute(() -> attemptAt(end.startNanos));
        return end.result;
    }

    // ---- events, each a step through the gate

    /** The result completed: if by the caller (cancel, orTimeout, an interrupted request()), the try is ended now. */
    @Override
    public void accept(VaultResponse r, Throwable e) {
        if (end.endedByCaller(r, e)) {
            execute(() -> {
                // nobody waits for the answer: the try's connection is closed now, not at attemptTimeout, and a
                // wait for a connection gives up its place
                callerEnded = true;
                abandon();
            });
        }
    }

    /** The pool closed with this request still under way: it completes now with {@link PoolClosedException}. */
    @Override
    void abortOnClose() {
        fail(new PoolClosedException(rt.name));
        execute(this::abandon);
    }

    @Override
    void onTimeout(long now) {
        execute(() -> timedOut(now));
    }

    void onLeaseGranted(LeaseStep l, AsyncClientEndpoint endpoint) {
        if (tryEnter()) {
            try {
                leased(l, endpoint);
            } catch (RuntimeException | Error e) {
                onStepFailed(e);
            } finally {
                exit();
            }
        } else {
            execute(() -> leased(l, endpoint));
        }
    }

    void onLeaseFailed(LeaseStep l, Exception ex) {
        execute(() -> leaseFailed(l, ex));
    }

    void onLeaseCancelled(LeaseStep l) {
        execute(() -> {
            if (lease == l) {
                lease = null;
                l.permit.neutral();
                fail(new PoolClosedException(rt.name)); // the transport cancelled it: the pool is closing
            }
        });
    }

    @Override
    public void onTryResponse(Attempt a, VaultResponse response) {
        if (tryEnter()) {
            try {
                tryAnswered(a, response);
            } catch (RuntimeException | Error e) {
                onStepFailed(e);
            } finally {
                exit();
            }
        } else {
            execute(() -> tryAnswered(a, response));
        }
    }

    @Override
    public void onTryFailed(Attempt a, Exception ex) {
        execute(() -> {
            endTry(a);
            a.lease.release(false);
            trySent(a, ex);
        });
    }

    @Override
    public void onTryCancelled(Attempt a) {
        execute(() -> {
            endTry(a);
            a.lease.release(false);
            if (end.isDone()) {
                trySent(a, new java.util.concurrent.CancellationException("aborted"));
            } else {
                a.permit.neutral(); // the pool is closing: says nothing of the node
                fail(new PoolClosedException(rt.name));
            }
        });
    }

    /**
     * Ends a try that has no response after {@code attemptTimeout}: closes its connection and moves on at once. The
     * connection's socket timeout would end it too, but a server that sends a byte now and then resets that forever.
     */
    @Override
    public void onTryExpired(Attempt a) {
        execute(() -> {
            endTry(a);
            a.lease.abort();
            trySent(a, new SocketTimeoutException("no response within attemptTimeout "
                    + rt.config.attemptTimeout().toMillis() + "ms"));
        });
    }

    /** A step threw: a bug, but the request must still end, and its connection must not leak. */
    @Override
    void onStepFailed(Throwable e) {
        LOG.warn("{} - a step of {} failed", rt.name, RequestCompletion.describe(request), e);
        fail(new VaultPoolException(rt.name, "request failed inside the pool: " + e, e));
        abandon();
    }

    // ---- what the sweeper reads (outside the gate)

    @Override
    boolean isDue(long now) {
        if (now - deadlineNanos >= 0) {
            return true;
        }
        Attempt a = current;
        if (a != null) {
            return now - a.expiresAt >= 0;
        }
        LeaseStep l = lease;
        return l != null && l.isExpired(now);
    }

    // ---- the steps; each runs inside the gate

    private void timedOut(long now) {
        if (end.isDone()) {
            return;
        }
        if (now - deadlineNanos >= 0) {
            onDeadline();
            return;
        }
        Attempt a = current;
        if (a != null && now - a.expiresAt >= 0) {
            a.expire(); // settles the try, whose expiry comes back as a step
            return;
        }
        LeaseStep l = lease;
        if (l != null && l.isExpired(now)) {
            l.expire(); // fails the wait, which comes back as a step
        }
    }

    /** Closes the try under way, if any (failing its exchange), and gives up a wait for a connection. */
    private void abandon() {
        Attempt a = current;
        if (a != null) {
            a.lease.abort();
        }
        LeaseStep l = lease;
        if (l != null) {
            lease = null;
            l.permit.neutral();
            l.cancel();
        }
    }

    private void attempt() {
        attemptAt(rt.ticker.nanoTime());
    }

    /** @param now the current ticker time */
    private void attemptAt(long now) {
        if (end.isDone()) {
            return;
        }
        if (rt.isClosed() && (policy.isFollowUp() || rt.transport.isClosed())) {
            fail(new PoolClosedException(rt.name));
            return;
        }
        long remaining = deadlineNanos - now;
        if (remaining <= 0) {
            onDeadline(); // a wait of no time for a connection would only fail as exhausted
            return;
        }
        NodeState node = policy.nextNode();
        if (node == null) {
            fail(noNode());
            return;
        }
        BreakerPermit permit = node.admit();
        if (permit == null) {
            refused(node); // half-open with its trials taken, or opened since the choice
            return;
        }
        if (rt.pending.incrementAndGet() > rt.config.maxPendingRequests()) {
            rt.pending.decrementAndGet();
            permit.neutral();
            fail(rt.exhausted(null, 0, "too many requests waiting for a connection, rejected at once", null));
            return;
        }
        long borrowNanos = rt.borrowTimeoutNanos;
        LeaseStep l = new LeaseStep(this, rt, node, permit, now, Math.min(borrowNanos, remaining), remaining < borrowNanos);
        lease = l;
        try {
            l.begin(); // a connection at hand comes back as a step after this one
        } catch (RuntimeException e) {
            lease = null;
            permit.neutral();
            fail(rt.transport.isClosed() ? new PoolClosedException(rt.name)
                    : new VaultPoolException(rt.name, "could not ask for a connection to " + node.uri, e));
        }
    }

    private void leased(LeaseStep l, AsyncClientEndpoint endpoint) {
        long now = rt.ticker.nanoTime();
        NodeState node = l.node;
        rt.metrics.leaseWaited(now - l.startNanos);
        ConnectionLease c = new ConnectionLease(rt, node, endpoint); // counted as leased by the wait
        if (lease != l || end.isDone()) {
            l.permit.neutral();
            c.release(true); // given up meanwhile (deadline, caller): the connection goes straight back
            return;
        }
        lease = null;
        BreakerPermit permit = (node.isUsable() || node.isLastResort()) ? node.renew(l.permit) : null;
        if (permit == null) {
            // the node became unusable (sealed, drained, breaker opened) while this request waited, or its breaker
            // changed state and has no trial left: try elsewhere
            l.permit.neutral();
            c.release(true);
            refused(node);
            return;
        }
        node.inFlight.incrementAndGet();
        node.tries.increment();
        // the first of response, failure, cancellation and the try's expiry settles the try; the others are ignored
        Attempt a = new Attempt(this, c, permit, node, now, rt.attemptTimeoutNanos);
        current = a;
        rt.transport.send(endpoint, node, request, request.path(), requiredStates(node), a, l.context, a);
    }

    /** The node cannot take the try now: try elsewhere, boundedly. */
    private void refused(NodeState node) {
        if (policy.onRefused(node)) {
            attempt();
        } else {
            fail(noNode());
        }
    }

    private void leaseFailed(LeaseStep l, Exception ex) {
        if (lease != l) {
            return; // given up already (its permit with it)
        }
        lease = null;
        Throwable cause = Failures.unwrap(ex);
        if (end.isDone() || cause instanceof TimeoutException) {
            l.permit.neutral(); // no connection, nothing sent: says nothing of the node
        }
        if (end.isDone()) {
            return;
        }
        if (cause instanceof TimeoutException) {
            if (l.endsAtDeadline) {
                onDeadline(); // the wait was the rest of the request's time, not borrowTimeout
            } else {
                fail(rt.exhausted(l.node, rt.ticker.nanoTime() - l.startNanos, "request timed out", cause));
            }
            return;
        }
        // the connection could not be opened: nothing was sent, any request may go elsewhere
        transportFailure(l.node, l.permit, ex, true, false, -1);
    }

    /** Ends the try: it no longer counts as in flight and the sweeper no longer watches it. */
    private void endTry(Attempt a) {
        a.node.inFlight.decrementAndGet();
        if (current == a) {
            current = null;
        }
    }

    private void tryAnswered(Attempt a, VaultResponse response) {
        endTry(a);
        long now = rt.ticker.nanoTime();
        end.responseAt(now);
        Outcome outcome = TryResults.answered(rt, a, response, now);
        if (end.isDone()) {
            return;
        }
        next(policy.afterResponse(a.node, response, outcome, deadlineNanos - now), response, null);
    }

    /** A try that was sent (or whose connection was aborted) failed without an answer. */
    private void trySent(Attempt a, Exception ex) {
        NodeState node = a.node;
        if (Failures.kindOf(ex, false) == FailureKind.REQUEST_INVALID) {
            // refused before a byte was sent: the request's own fault, failed alone, no retry (every node would refuse it)
            fail(TryResults.rejected(rt, node, a.permit, RequestCompletion.describe(request), ex));
            return;
        }
        if (end.isDone()) {
            // the caller gave up and the try was aborted for it: not the node's fault; else the deadline passed
            // while this try waited and aborted it: the node did not answer in time
            node.record(a.permit, callerEnded ? NodeBreaker.NEUTRAL : NodeBreaker.FAILURE, !callerEnded);
            return;
        }
        transportFailure(node, a.permit, ex, false, a.wasSent(), a.startNanos);
    }

    /**
     * @param sent whether the request's head was handed to the connection; a try that failed before (e.g. queued on
     *             a connection that failed for another exchange) was provably not sent, and any request may go again
     */
    private void transportFailure(NodeState node, BreakerPermit permit, Exception ex, boolean connecting, boolean sent,
                                  long tryStartNanos) {
        VaultTransportException failure = TryResults.failed(rt, node, permit, ex, connecting, tryStartNanos);
        policy.lastFailure(failure);
        if (failure.kind() == FailureKind.TLS) {
            fail(failure); // a configuration error, the same on every node: neither a node failure nor worth a retry
            return;
        }
        next(policy.afterTransportFailure(node, failure.kind(), connecting || !sent, deadlineNanos - rt.ticker.nanoTime()),
                null, failure);
    }

    /**
     * Acts on a decision of the policy: completes the request with the response or the failure, tries again now,
     * or after a delay (on the worker, when the timer says so).
     */
    private void next(long delayNanos, VaultResponse response, Throwable failure) {
        if (delayNanos == OutcomePolicy.STOP) {
            if (failure != null) {
                fail(failure);
            } else {
                complete(response);
            }
            return;
        }
        if (delayNanos == 0) {
            attempt();
            return;
        }
        try {
            rt.later(() -> execute(this::attempt), delayNanos);
        } catch (RejectedExecutionException closed) {
            fail(new PoolClosedException(rt.name));
        }
    }

    /** @return the replication states a read on a standby must carry (one header line each), else none */
    private List<String> requiredStates(NodeState node) {
        if (!rt.config.readYourWrites() || !request.isRead() || node.role == NodeRole.ACTIVE) {
            return List.of();
        }
        return rt.replicationStates.current();
    }

    private void onDeadline() {
        if (end.isDone()) {
            return;
        }
        fail(rt.isClosed() ? new PoolClosedException(rt.name)
                : end.timedOut(request, timeout, policy.retries() + 1, policy.lastFailure()));
        abandon();
    }

    private NoAvailableNodeException noNode() {
        return rt.noNode(request.isRead(), policy.lastFailure());
    }

    private void complete(VaultResponse response) {
        end.complete(response);
    }

    private void fail(Throwable t) {
        end.fail(t);
    }
}
