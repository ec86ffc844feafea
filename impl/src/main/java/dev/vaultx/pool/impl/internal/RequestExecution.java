package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One request on its way through the pool: choose a node, lease a connection, send, classify the
 * outcome ({@link Outcome}), and retry on another node, follow a redirect, or complete. Every path
 * ends in exactly one completion of {@link #result}, at the latest when the deadline fires.
 *
 * <p>Callbacks arrive on I/O and timer threads, one step at a time (a step starts the next only
 * after its own work is done), so the mutable fields need no lock; {@link #current} is volatile
 * because the pool's {@link TimeoutSweeper} reads it: the sweeper ends the request at its deadline and
 * the current try at its {@code attemptTimeout}.
 */
final class RequestExecution extends LiveRequests.Entry
        implements Attempt.Outcomes, FutureCallback<AsyncClientEndpoint>, BiConsumer<VaultResponse, Throwable> {

    private static final AtomicIntegerFieldUpdater<RequestExecution> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(RequestExecution.class, "finished");

    private final PoolRuntime rt;
    private VaultRequest request;
    final CompletableFuture<VaultResponse> result = new CompletableFuture<>();
    private final long startNanos;
    private final long deadlineNanos;
    private final Duration timeout;
    /** Nodes this request tried, avoided by the next choice; {@code null} until the first retry. */
    private NodeSet tried;
    /** Set (to 1) by whoever completes {@link #result} first, which then updates the statistics once. */
    private volatile int finished;
    /** The node of the lease under way and when it was asked for (this object is the lease's callback). */
    private NodeState leaseNode;
    private long leaseStart;
    /** The HTTP context of the current try: its lease and its exchange share it. */
    private HttpClientContext context;
    private int retries;
    private int refusals;
    private boolean redirected;
    private NodeState forced;
    private Throwable lastFailure;
    /** The try under way, or {@code null} between tries. */
    private volatile Attempt current;
    /** When the last response arrived, ticker time (0 before any): a request completed with it ends then. */
    private long lastResponseNanos;
    /** When the last try was sent, ticker time. */
    private long tryStart;
    /** Whether this request counts in {@code rt.active} and is in the live list (the pool was open when it started). */
    private volatile boolean counted;
    /** Whether the caller completed the future (cancelled it): an aborted try then says nothing about its node. */
    private volatile boolean callerEnded;
    /** The wait for a connection under way, cancelled if the caller completes the future; {@code null} when none. */
    private volatile HttpTransport.LeaseWait leaseWait;
    /** Whether the current wait for a connection is cut short by the deadline rather than by {@code borrowTimeout}. */
    private boolean waitEndsAtDeadline;

    RequestExecution(PoolRuntime rt, VaultRequest request) {
        this.rt = rt;
        this.request = request;
        this.timeout = request.timeout().orElse(rt.config.requestTimeout());
        this.startNanos = rt.ticker.nanoTime();
        this.deadlineNanos = startNanos + Durations.nanos(timeout);
    }

    CompletableFuture<VaultResponse> start() {
        rt.totalRequests.increment();
        // the caller may cancel the future: account for that too (see accept)
        result.whenComplete(this);
        if (rt.isClosed()) {
            fail(new PoolClosedException(rt.name));
            return result;
        }
        counted = true;
        rt.active.incrementAndGet();
        rt.executions.add(this);
        if (!rt.timeouts.ensureRunning()) {
            fail(new PoolClosedException(rt.name)); // the pool closed after the check above
            return result;
        }
        attemptAt(startNanos);
        return result;
    }

    /** The result completed: if not by this class (the caller cancelled it), the statistics are updated here. */
    @Override
    public void accept(VaultResponse r, Throwable e) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            callerEnded = true;
            finish(r, e);
            // the caller completed the future (cancel, orTimeout, an interrupted request()): the try under way has
            // nobody to answer, so its connection is closed now rather than at attemptTimeout, and a wait for a
            // connection gives up its place
            abortCurrent();
            cancelLeaseWait();
        }
    }

    private void cancelLeaseWait() {
        HttpTransport.LeaseWait w = leaseWait;
        if (w != null) {
            w.cancel();
        }
    }

    private void finish(VaultResponse r, Throwable e) {
        String failure = e != null ? failureKind(e) : r.status() >= 500 ? "http_5xx" : null;
        if (failure != null) {
            rt.failedRequests.increment();
        }
        long end = r != null && lastResponseNanos != 0 ? lastResponseNanos : rt.ticker.nanoTime();
        rt.metrics.requestCompleted(end - startNanos, failure);
        // a request failed before it was counted (pool closed) is not in the live list
        if (counted) {
            rt.executions.remove(this);
            rt.active.decrementAndGet();
        }
    }

    /** The pool closed with this request still under way: it completes now with {@link PoolClosedException}. */
    @Override
    void abortOnClose() {
        fail(new PoolClosedException(rt.name));
        abortCurrent();
    }

    /** Closes the connection of the try under way, if any, failing its exchange. */
    private void abortCurrent() {
        Attempt a = current;
        if (a != null) {
            a.lease.abort();
        }
    }

    @Override
    boolean isDue(long now) {
        if (now - deadlineNanos >= 0) {
            return true;
        }
        Attempt a = current;
        return a != null && now - a.expiresAt >= 0;
    }

    @Override
    void onTimeout(long now) {
        if (result.isDone()) {
            return;
        }
        if (now - deadlineNanos >= 0) {
            onDeadline();
            return;
        }
        Attempt a = current;
        if (a != null && now - a.expiresAt >= 0) {
            a.expire(); // moves on to the next try, or fails the request
        }
    }

    /** @return the metric name of a failure's kind, e.g. {@code pool_exhausted}, {@code connect_refused} */
    private static String failureKind(Throwable e) {
        Throwable t = Failures.unwrap(e);
        if (t instanceof VaultTransportException) {
            return ((VaultTransportException) t).kind().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (t instanceof dev.vaultx.pool.PoolExhaustedException) {
            return "pool_exhausted";
        }
        if (t instanceof NoAvailableNodeException) {
            return "no_available_node";
        }
        if (t instanceof RequestTimeoutException) {
            return "request_timeout";
        }
        if (t instanceof PoolClosedException) {
            return "pool_closed";
        }
        return "other";
    }

    private long remainingNanos() {
        return deadlineNanos - rt.ticker.nanoTime();
    }

    private void attempt() {
        attemptAt(rt.ticker.nanoTime());
    }

    /** @param now the current ticker time */
    private void attemptAt(long now) {
        if (result.isDone()) {
            return;
        }
        if (rt.isClosed() && (retries > 0 || redirected || rt.transport.isClosed())) {
            fail(new PoolClosedException(rt.name));
            return;
        }
        long remaining = deadlineNanos - now;
        if (remaining <= 0) {
            onDeadline(); // the deadline has passed: a wait of no time for a connection would only fail as exhausted
            return;
        }
        NodeState node = forced != null ? forced : rt.balancer.choose(request, tried);
        forced = null;
        if (node == null) {
            fail(noNode());
            return;
        }
        if (rt.pending.incrementAndGet() > rt.config.maxPendingRequests()) {
            rt.pending.decrementAndGet();
            fail(rt.exhausted(null, 0, "too many requests waiting for a connection, rejected at once", null));
            return;
        }
        node.waiting.incrementAndGet();
        long borrowNanos = rt.borrowTimeoutNanos;
        waitEndsAtDeadline = remaining < borrowNanos;
        long waitNanos = Math.min(borrowNanos, remaining);
        leaseNode = node;
        leaseStart = now;
        context = HttpClientContext.create();
        HttpTransport.LeaseWait w = rt.transport.lease(node, Duration.ofNanos(waitNanos), context, this);
        leaseWait = w;
        if (result.isDone()) {
            w.cancel(); // completed by the caller meanwhile, before it could see this wait
        }
    }

    /** The lease asked for by {@link #attempt()} got its connection. */
    @Override
    public void completed(AsyncClientEndpoint endpoint) {
        NodeState node = leaseNode;
        leaseDone(node);
        long leased = rt.ticker.nanoTime();
        rt.metrics.leaseWaited(leased - leaseStart);
        node.leased(rt.size(), leased);
        onLeased(new ConnectionLease(rt, node, endpoint), leased);
    }

    /** The lease asked for by {@link #attempt()} failed: no connection became free in time, or none could be opened. */
    @Override
    public void failed(Exception ex) {
        NodeState node = leaseNode;
        leaseDone(node);
        onLeaseFailed(node, ex, rt.ticker.nanoTime() - leaseStart);
    }

    /** The lease asked for by {@link #attempt()} was cancelled: the pool is closing. */
    @Override
    public void cancelled() {
        leaseDone(leaseNode);
        fail(new PoolClosedException(rt.name)); // unless the caller cancelled the request, which cancelled the wait
    }

    private void leaseDone(NodeState node) {
        leaseWait = null;
        node.waiting.decrementAndGet();
        rt.pending.decrementAndGet();
    }

    /** @param now when the connection was leased, ticker time: the try starts now */
    private void onLeased(ConnectionLease l, long now) {
        NodeState node = l.node;
        if (result.isDone()) {
            l.release(true);
            return;
        }
        if ((!node.isUsable() && !node.isLastResort()) || !node.breaker.tryAcquire()) {
            // the node became unusable (sealed, drained, breaker opened) while this request waited for its
            // connection, or its half-open trial permits are taken: try elsewhere, boundedly
            l.release(true);
            tried().add(node);
            if (++refusals > rt.nodes.size() * 2) {
                fail(noNode());
            } else {
                attempt();
            }
            return;
        }
        node.inFlight.incrementAndGet();
        node.tries.increment();
        VaultRequest toSend = withConsistencyHeader(node);
        // the first of response, failure, cancellation and the try's timeout settles the try; the others are ignored
        Attempt a = new Attempt(this, l, node, now, rt.attemptTimeoutNanos);
        current = a;
        tryStart = a.startNanos;
        rt.transport.send(l.endpoint, node, toSend, toSend.path(), context, a);
        if (result.isDone()) {
            // completed (cancelled, deadline) between the check above and current being set: whoever completed it
            // may have found no try to abort
            a.lease.abort();
        }
    }

    /** Ends the try: it no longer counts as in flight and the sweeper no longer watches it. */
    private void endTry(Attempt a) {
        a.node.inFlight.decrementAndGet();
        current = null;
    }

    @Override
    public void onTryResponse(Attempt a, VaultResponse response) {
        endTry(a);
        onResponse(a, response);
    }

    @Override
    public void onTryFailed(Attempt a, Exception ex) {
        endTry(a);
        a.lease.release(false);
        onSendFailed(a.node, ex);
    }

    @Override
    public void onTryCancelled(Attempt a) {
        endTry(a);
        a.lease.release(false);
        if (result.isDone()) {
            onSendFailed(a.node, new java.util.concurrent.CancellationException("aborted at the deadline"));
        } else {
            fail(new PoolClosedException(rt.name));
        }
    }

    /**
     * Ends a try that has no response after {@code attemptTimeout}: closes its connection and moves on at
     * once. The socket timeout set on the connection would end it too, but the I/O reactor checks timeouts,
     * and processes the close of a connection, only once per select interval when it is otherwise idle, so
     * a stuck try could last longer than configured.
     */
    @Override
    public void onTryExpired(Attempt a) {
        endTry(a);
        a.lease.abort();
        onSendFailed(a.node, new SocketTimeoutException("no response within attemptTimeout "
                + rt.config.attemptTimeout().toMillis() + "ms"));
    }

    private VaultRequest withConsistencyHeader(NodeState node) {
        String index = rt.vaultIndex;
        if (!rt.config.readYourWrites() || index == null || !request.isRead() || node.role == dev.vaultx.pool.NodeRole.ACTIVE) {
            return request;
        }
        return request.toBuilder().header("X-Vault-Index", index).build();
    }

    private void onLeaseFailed(NodeState node, Exception ex, long waitedNanos) {
        if (result.isDone()) {
            return;
        }
        Throwable cause = Failures.unwrap(ex);
        if (cause instanceof TimeoutException) {
            if (waitEndsAtDeadline) {
                // the wait was the rest of the request's deadline, not borrowTimeout: the deadline passed. Without
                // this the outcome would depend on which of two timers due at the same moment ran first
                onDeadline();
            } else {
                fail(rt.exhausted(node, waitedNanos, "request timed out", cause));
            }
            return;
        }
        // the connection could not be opened: nothing was sent, any request may go elsewhere
        onTransportFailure(node, ex, true);
    }

    private void onSendFailed(NodeState node, Exception ex) {
        if (Failures.kindOf(ex, false) == FailureKind.REQUEST_INVALID) {
            onRequestRejected(node, ex);
            return;
        }
        if (result.isDone() && callerEnded) {
            // the caller gave up and the try was aborted for it: not the node's fault
            node.breaker.recordNeutral();
            return;
        }
        if (result.isDone()) {
            // the deadline passed while this try waited and aborted it: the node did not answer in time.
            // Recording it also gives back the try's half-open trial permit, which would otherwise be lost
            // for good (after circuitBreakerHalfOpenRequests such losses the node would never be tried again).
            node.failedTries.increment();
            node.breaker.recordFailure();
            return;
        }
        onTransportFailure(node, ex, false);
    }

    /**
     * The HTTP layer refused the request before a byte of it was sent: the request's own fault. It fails alone,
     * with {@code REQUEST_INVALID}: no retry (every node would refuse it alike), nothing against the node.
     */
    private void onRequestRejected(NodeState node, Exception ex) {
        node.breaker.recordNeutral();
        rt.metrics.tryCompleted(node.index, rt.ticker.nanoTime() - tryStart, false);
        fail(new VaultTransportException(rt.name, node.uri, FailureKind.REQUEST_INVALID,
                FailureKind.REQUEST_INVALID + ": " + request.method() + " " + pathForMessage() + " was refused before sending ("
                        + Failures.describe(ex) + ")", Failures.cause(ex)));
    }

    private void onTransportFailure(NodeState node, Exception ex, boolean connecting) {
        FailureKind kind = Failures.kindOf(ex, connecting);
        VaultTransportException failure = new VaultTransportException(rt.name, node.uri, kind,
                kind + " on " + node.uri + " (" + Failures.describe(ex) + ")", Failures.cause(ex));
        lastFailure = failure;
        if (kind == FailureKind.TLS) {
            // a configuration error, the same on every node: neither a node failure nor worth a retry
            fail(failure);
            return;
        }
        if (connecting) {
            node.tries.increment(); // the try that could not connect: counted so that failed <= total
        }
        node.failedTries.increment();
        if (kind == FailureKind.RESPONSE_TOO_LARGE) {
            // the node answered, with a body larger than this pool accepts (any node would send the same):
            // not a node failure. Counting it would let one big secret, read a few times, open the breaker of
            // the active node and take it out for every request
            node.breaker.recordSuccess();
        } else {
            node.breaker.recordFailure();
        }
        rt.metrics.tryCompleted(node.index, connecting ? -1 : rt.ticker.nanoTime() - tryStart, true);
        if (redirected && (connecting || kind.isBeforeSend())) {
            // the redirect target never got the request, so there was no redirect loop: a standby may point again
            redirected = false;
        }
        boolean mayResend = connecting || kind.isBeforeSend() || request.isIdempotent();
        if (kind == FailureKind.RESPONSE_TOO_LARGE || !mayResend || !retry(node, false)) {
            fail(failure);
        }
    }

    private void onResponse(Attempt a, VaultResponse response) {
        ConnectionLease l = a.lease;
        NodeState node = l.node;
        Outcome outcome = Outcome.of(response);
        long now = rt.ticker.nanoTime();
        lastResponseNanos = now;
        rt.metrics.tryCompleted(node.index, now - tryStart, outcome.countsAgainstNode());
        if (!outcome.countsAgainstNode() && now - node.lastSuccessNanos > 1_000_000L) {
            node.lastSuccessNanos = now;
        }
        if (outcome.countsAgainstNode()) {
            node.failedTries.increment();
            node.breaker.recordFailure();
        } else {
            node.breaker.recordSuccess();
        }
        l.release(true);
        if (result.isDone()) {
            return;
        }
        switch (outcome) {
            case SEALED:
                rt.setRole(node, dev.vaultx.pool.NodeRole.SEALED);
                node.breaker.forceOpen();
                rt.probeSoon.run();
                retryOrComplete(node, response, request.isIdempotent(), false);
                return;
            case NO_ACTIVE_NODE:
                // a leader election: wait for the cluster, bounded by the deadline, without spending retries
                rt.probeSoon.run();
                if (!waitForCluster(response)) {
                    complete(response);
                }
                return;
            case NODE_FAILURE:
                retryOrComplete(node, response, request.isIdempotent(), false);
                return;
            case INDEX_NOT_REPLICATED:
                retryOrComplete(node, response, true, true);
                return;
            case RATE_LIMITED:
                retryAfterQuota(node, response);
                return;
            case REDIRECT:
                followRedirect(node, response);
                return;
            default:
                rememberIndex(response);
                complete(response);
        }
    }

    private void rememberIndex(VaultResponse response) {
        if (rt.config.readYourWrites() && !request.isRead()) {
            response.header("X-Vault-Index").ifPresent(i -> rt.vaultIndex = i);
        }
    }

    private void retryOrComplete(NodeState node, VaultResponse response, boolean mayResend, boolean sameNodeOk) {
        lastFailure = null;
        if (!mayResend || !retry(sameNodeOk ? null : node, sameNodeOk)) {
            complete(response);
        }
    }

    /**
     * Schedules another try if the retry count, the retry budget and the deadline allow it. A try on
     * a node not tried yet goes at once; otherwise after an exponential backoff with full jitter.
     */
    private boolean retry(NodeState failed, boolean backoffAlways) {
        if (retries >= rt.config.maxRetries() || remainingNanos() <= 0 || !budget()) {
            return false;
        }
        retries++;
        rt.metrics.retried();
        if (failed != null) {
            tried().add(failed);
        }
        boolean fresh = !backoffAlways && hasUntried();
        if (fresh) {
            attempt();
        } else {
            schedule(Backoff.delayNanos(rt.config.retryBackoff(), rt.config.maxRetryBackoff(), retries));
        }
        return true;
    }

    /** Takes a retry from the pool's retry budget; counts a refusal. */
    private boolean budget() {
        if (rt.retryBudget.tryAcquire(rt.ticker.nanoTime(), rt.totalRequests.sum())) {
            return true;
        }
        rt.metrics.retryRejected();
        return false;
    }

    private boolean hasUntried() {
        NodeState n = rt.balancer.choose(request, tried);
        return n != null && (tried == null || !tried.contains(n));
    }

    private NodeSet tried() {
        if (tried == null) {
            tried = new NodeSet();
        }
        return tried;
    }

    private boolean waitForCluster(VaultResponse response) {
        long delay = Backoff.delayNanos(rt.config.retryBackoff().multipliedBy(4), rt.config.maxRetryBackoff(), 1);
        if (remainingNanos() <= delay) {
            return false;
        }
        schedule(delay);
        return true;
    }

    private void retryAfterQuota(NodeState node, VaultResponse response) {
        long wait = Backoff.retryAfterNanos(response.header("Retry-After").orElse(null), System.currentTimeMillis());
        if (wait < 0) {
            wait = Backoff.delayNanos(rt.config.retryBackoff(), rt.config.maxRetryBackoff(), retries + 1);
        }
        if (retries >= rt.config.maxRetries() || wait >= remainingNanos() || !budget()) {
            complete(response);
            return;
        }
        retries++;
        rt.metrics.retried();
        forced = node; // quotas are per node: do not use failover to evade them
        schedule(wait);
    }

    private void followRedirect(NodeState from, VaultResponse response) {
        NodeState target = Redirects.target(rt, from, response);
        if (target == null) {
            complete(response);
            return;
        }
        if (!target.role().isServing() || !target.breaker.isAvailable()) {
            // a standby that cannot forward points at an active node the pool knows is down (unreachable,
            // sealed, breaker open): the cluster is about to elect another leader. Wait for it as for a 503
            // "no active Vault instance found", and do not promote the dead node back to ACTIVE.
            rt.probeSoon.run();
            if (!waitForCluster(response)) {
                complete(response);
            }
            return;
        }
        if (redirected) {
            // at most one hop: a second 307 (e.g. two nodes pointing at each other) goes to the caller
            complete(response);
            return;
        }
        redirected = true;
        rt.setRole(target, dev.vaultx.pool.NodeRole.ACTIVE);
        if (from.role == dev.vaultx.pool.NodeRole.ACTIVE) {
            rt.setRole(from, dev.vaultx.pool.NodeRole.STANDBY);
        }
        rt.probeSoon.run();
        forced = target;
        attempt();
    }

    private void schedule(long delayNanos) {
        if (delayNanos <= 0) {
            attempt();
            return;
        }
        try {
            rt.later(this::attempt, delayNanos); // on the worker: a retry sends and may complete the future
        } catch (java.util.concurrent.RejectedExecutionException e) {
            fail(new PoolClosedException(rt.name));
        }
    }

    private void onDeadline() {
        if (result.isDone()) {
            return;
        }
        if (rt.isClosed()) {
            fail(new PoolClosedException(rt.name));
            return;
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(rt.ticker.nanoTime() - startNanos);
        fail(new RequestTimeoutException(rt.name, timeout, request.method() + " " + pathForMessage()
                + " did not complete within " + timeout.toMillis() + "ms (waited " + waitedMs + "ms, " + (retries + 1)
                + " tries" + (lastFailure == null ? "" : ", last failure: " + lastFailure.getMessage()) + ")", lastFailure));
        abortCurrent();
    }

    private String pathForMessage() {
        String p = request.path();
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q) + "?...";
    }

    private NoAvailableNodeException noNode() {
        return rt.noNode(request.isRead(), lastFailure);
    }

    /**
     * Completes the request with a response. The statistics are updated first, so that a caller woken by the
     * future already sees this request counted (a dependent registered by the pool would run after the caller's).
     */
    private void complete(VaultResponse response) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            finish(response, null);
            result.complete(response);
        }
    }

    private void fail(Throwable t) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            finish(null, t);
            result.completeExceptionally(t);
        }
    }
}
