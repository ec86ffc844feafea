package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;

/**
 * What a request does after a try: complete, or try again (on which node, after how long). It keeps the
 * request's retry state: retries spent, nodes tried, whether a redirect was followed, the node the next try
 * must use, the last failure. Retries are bounded by {@code maxRetries}, the request's deadline and the
 * pool's {@link RetryBudget}.
 *
 * <p>A leader election (503 "no active Vault instance found", or a standby pointing at a node known to be
 * down) is waited out rather than failed: each wait takes a token from the retry budget (not a retry from
 * {@code maxRetries}: an election typically outlasts them) and is an exponential backoff with jitter from
 * {@code 4 x retryBackoff} up to {@code maxRetryBackoff}, so that the requests waiting on a leaderless cluster
 * do not all hit its standbys every few tens of milliseconds.
 *
 * <p>Not thread-safe: used by one request, inside its gate.
 */
final class OutcomePolicy {

    /** Returned by the decisions for "do not try again". */
    static final long STOP = -1;

    private final PoolRuntime rt;
    private final VaultRequest request;
    /** Nodes this request tried, avoided by the next choice; {@code null} until the first retry. */
    private NodeSet tried;
    private int retries;
    /** Waits for a leader election so far. */
    private int electionWaits;
    private int refusals;
    private boolean redirected;
    /**
     * Nodes that answered this request with a 307 that was followed, since its last try that did not end in a followed
     * 307 (the current chain of hops); {@code null} when no chain is under way. A node that redirected before an
     * election may be the new leader after it: only a node of the current chain makes a loop.
     */
    private NodeSet redirectors;
    /** The node the next try must use (a redirect target, or the node of a rate-limit quota), or {@code null}. */
    private NodeState forced;
    private Throwable lastFailure;

    OutcomePolicy(PoolRuntime rt, VaultRequest request) {
        this.rt = rt;
        this.request = request;
    }

    int retries() {
        return retries;
    }

    Throwable lastFailure() {
        return lastFailure;
    }

    void lastFailure(Throwable failure) {
        lastFailure = failure;
    }

    /** @return the node for the next try: the forced one if any (once), else the balancer's choice, or {@code null} */
    NodeState nextNode() {
        NodeState node = forced != null ? forced : rt.balancer.choose(request, tried);
        forced = null;
        return node;
    }

    /**
     * A connection was leased on a node that can no longer take the try (it became unusable while the request
     * waited, or its half-open trial permits are taken).
     *
     * @return whether to try elsewhere (boundedly), else the request fails: no node
     */
    boolean onRefused(NodeState node) {
        tried().add(node);
        return ++refusals <= rt.nodes.size() * 2;
    }

    /**
     * A try failed without an answer.
     *
     * @param unsent whether the request provably never left (the connection could not be opened, or failed before
     *               the request's head was handed to it), whatever the failure's kind
     * @param remainingNanos time to the request's deadline
     * @return the delay before the next try, or {@link #STOP} to fail the request with the failure
     */
    long afterTransportFailure(NodeState node, FailureKind kind, boolean unsent, long remainingNanos) {
        redirectors = null;
        if (redirected && (unsent || kind.isBeforeSend())) {
            // the redirect target never got the request, so there was no redirect loop: a standby may point again
            redirected = false;
        }
        boolean mayResend = unsent || kind.isBeforeSend() || request.isIdempotent();
        if (kind == FailureKind.RESPONSE_TOO_LARGE || kind == FailureKind.TLS || !mayResend) {
            return STOP;
        }
        return retry(node, false, remainingNanos);
    }

    /**
     * A try got an answer (the breaker and the statistics have been told).
     *
     * @param remainingNanos time to the request's deadline
     * @return the delay before the next try, or {@link #STOP} to complete the request with this response
     */
    long afterResponse(NodeState node, VaultResponse response, Outcome outcome, long remainingNanos) {
        if (outcome != Outcome.REDIRECT) {
            redirectors = null;
        }
        switch (outcome) {
            case SEALED:
                // the role is the health monitor's to change: traffic opens the breaker (no request goes there) and
                // hints that a probe is due, which finds the node sealed
                node.breaker.forceOpen();
                rt.probeSoon.run();
                return retryOrStop(node, request.isIdempotent(), false, remainingNanos);
            case NO_ACTIVE_NODE:
                rt.probeSoon.run();
                return waitForElection(remainingNanos);
            case NODE_FAILURE:
                return retryOrStop(node, request.isIdempotent(), false, remainingNanos);
            case INDEX_NOT_REPLICATED:
                return retryOrStop(node, true, true, remainingNanos);
            case RATE_LIMITED:
                return afterQuota(node, response, remainingNanos);
            case REDIRECT:
                return afterRedirect(node, response, remainingNanos);
            default:
                rememberIndex(response);
                return STOP;
        }
    }

    /**
     * Merges the response's replication state into the pool's, whatever the method: Vault's Go client records it
     * from every response (a read can write storage too, e.g. a lease for dynamic credentials).
     */
    private void rememberIndex(VaultResponse response) {
        if (rt.config.readYourWrites()) {
            response.header(ReplicationStates.HEADER).ifPresent(rt.replicationStates::record);
        }
    }

    private long retryOrStop(NodeState node, boolean mayResend, boolean sameNodeOk, long remainingNanos) {
        lastFailure = null;
        return mayResend ? retry(sameNodeOk ? null : node, sameNodeOk, remainingNanos) : STOP;
    }

    /**
     * Takes a retry if the retry count, the retry budget and the deadline allow it. A try on a node not tried yet
     * goes at once; otherwise after an exponential backoff with full jitter.
     */
    private long retry(NodeState failed, boolean backoffAlways, long remainingNanos) {
        if (retries >= rt.config.maxRetries() || remainingNanos <= 0 || !budget()) {
            return STOP;
        }
        retries++;
        rt.metrics.retried();
        if (failed != null) {
            tried().add(failed);
        }
        if (!backoffAlways && hasUntried()) {
            return 0;
        }
        return Backoff.delayNanos(rt.config.retryBackoff(), rt.config.maxRetryBackoff(), retries);
    }

    /**
     * Waits out a leader election: an exponential backoff with jitter (the first wait 50-100 % of
     * {@code 4 x retryBackoff}, doubling up to {@code maxRetryBackoff}), each paid for from the retry budget.
     */
    private long waitForElection(long remainingNanos) {
        long cap = Math.min(rt.config.maxRetryBackoff().toNanos(),
                rt.config.retryBackoff().toNanos() * 4 << Math.min(electionWaits, 20));
        long delay = cap / 2 + Backoff.delayNanos(java.time.Duration.ofNanos(cap / 2), java.time.Duration.ofNanos(cap / 2), 1);
        if (remainingNanos <= delay || !budget()) {
            return STOP;
        }
        electionWaits++;
        rt.metrics.retried();
        return Math.max(delay, 1);
    }

    private long afterQuota(NodeState node, VaultResponse response, long remainingNanos) {
        long wait = Backoff.retryAfterNanos(response.header("Retry-After").orElse(null), System.currentTimeMillis());
        if (wait < 0) {
            wait = Backoff.delayNanos(rt.config.retryBackoff(), rt.config.maxRetryBackoff(), retries + 1);
        }
        if (retries >= rt.config.maxRetries() || wait >= remainingNanos || !budget()) {
            return STOP;
        }
        retries++;
        rt.metrics.retried();
        forced = node; // quotas are per node: do not use failover to evade them
        return wait;
    }

    private long afterRedirect(NodeState from, VaultResponse response, long remainingNanos) {
        NodeState target = Redirects.target(rt, from, response);
        if (target == null) {
            return STOP;
        }
        if (!target.role().isServing() || !target.breaker.isAvailable()) {
            // a standby that cannot forward points at an active node the pool knows is down (unreachable,
            // sealed, breaker open): the cluster is about to elect another leader. Wait for it as for a 503
            // "no active Vault instance found", and do not promote the dead node back to ACTIVE.
            redirectors = null;
            rt.probeSoon.run();
            return waitForElection(remainingNanos);
        }
        if (redirectors == null) {
            redirectors = new NodeSet();
        }
        if (redirectors.contains(target)) {
            // a loop (e.g. two nodes pointing at each other): the 307 goes to the caller. A second 307 to a node that
            // has not redirected this request is followed: while a leader changes, a standby may still point at the
            // old leader (the request then finds it down and waits for the election)
            return STOP;
        }
        redirectors.add(from);
        redirected = true;
        // the roles are the health monitor's to change: the hint makes it probe now, and it finds the new active node
        rt.probeSoon.run();
        forced = target;
        return 0;
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

    /** @return whether the request has been retried or redirected (a pool closing now refuses the next try) */
    boolean isFollowUp() {
        return retries > 0 || redirected || electionWaits > 0;
    }
}
