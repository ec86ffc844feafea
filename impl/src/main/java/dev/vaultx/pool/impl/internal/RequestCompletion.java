package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The end of one request: its future, completed exactly once (by the pool, or by the caller cancelling it or
 * timing it out), with the pool's statistics updated once, before the caller is woken; and the words its
 * failures use for it.
 *
 * <p>This class is thread-safe: the first completion wins by compare-and-set.
 */
final class RequestCompletion {

    private static final AtomicIntegerFieldUpdater<RequestCompletion> FINISHED =
            AtomicIntegerFieldUpdater.newUpdater(RequestCompletion.class, "finished");

    final CompletableFuture<VaultResponse> result = new CompletableFuture<>();
    private final PoolRuntime rt;
    private final LiveRequests.Entry entry;
    /** Ticker time the request was accepted. */
    final long startNanos;
    /** Set (to 1) by whoever completes {@link #result} first, which then updates the statistics once. */
    private volatile int finished;
    /** Whether the request counts in {@code rt.active} and is in the live list (the pool was open when it started). */
    private volatile boolean counted;
    /**
     * When the last response arrived, ticker time (0 before any): a request completed with it ends then. Written and
     * read inside the request's gate; a caller completing the future may read it stale, which is harmless (its
     * value is not the pool's response). Not volatile: a fence per response is not worth that.
     */
    private long lastResponseNanos;

    /** @param entry the request as listed in the pool's live requests, removed from them at the end */
    RequestCompletion(PoolRuntime rt, LiveRequests.Entry entry, long startNanos) {
        this.rt = rt;
        this.entry = entry;
        this.startNanos = startNanos;
    }

    boolean isDone() {
        return result.isDone();
    }

    /** The request now counts as active and is listed; the statistics undo both at its end. */
    void counted() {
        counted = true;
        rt.active.incrementAndGet();
        rt.executions.add(entry);
    }

    /** @param now ticker time a response arrived: the request's time ends there if it completes with it */
    void responseAt(long now) {
        lastResponseNanos = now;
    }

    /**
     * The future completed: if the pool did not complete it, the caller did (cancel, {@code orTimeout}, an
     * interrupted blocking request), and the statistics are updated now.
     *
     * @return whether the caller ended the request
     */
    boolean endedByCaller(VaultResponse r, Throwable e) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            try {
                finish(r, e);
            } catch (RuntimeException ignored) {
                // the metrics failed: the request has ended all the same, and its try must still be ended
            }
            return true;
        }
        return false;
    }

    /**
     * Completes the request with a response. The statistics are updated first, so that a caller woken by the
     * future already sees this request counted (a dependent registered by the pool would run after the caller's).
     * The future completes even if the metrics throw: the caller never waits for a request that ended.
     */
    void complete(VaultResponse response) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            try {
                finish(response, null);
            } finally {
                result.complete(response);
            }
        }
    }

    void fail(Throwable t) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            try {
                finish(null, t);
            } finally {
                result.completeExceptionally(t);
            }
        }
    }

    /**
     * @param tries how many tries the request made
     * @param last the last failure of a try, or {@code null}; the cause of the timeout
     * @return the failure of a request whose deadline passed now
     */
    RequestTimeoutException timedOut(VaultRequest request, Duration timeout, int tries, Throwable last) {
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(rt.ticker.nanoTime() - startNanos);
        return new RequestTimeoutException(rt.name, timeout, describe(request) + " did not complete within "
                + timeout.toMillis() + "ms (waited " + waitedMs + "ms, " + tries + " tries"
                + (last == null ? "" : ", last failure: " + last.getMessage()) + ")", last);
    }

    /** @return method and path, the query cut (it may carry secrets): how messages name a request */
    static String describe(VaultRequest request) {
        String p = request.path();
        int q = p.indexOf('?');
        return request.method() + " " + (q < 0 ? p : p.substring(0, q) + "?...");
    }

    private void finish(VaultResponse r, Throwable e) {
        String failure = e != null ? Failures.metricName(e) : r.status() >= 500 ? "http_5xx" : null;
        if (failure != null) {
            rt.failedRequests.increment();
        }
        if (counted) { // a request failed before it was counted (pool closed) is not in the live list
            rt.executions.remove(entry);
            rt.active.decrementAndGet();
        }
        long last = lastResponseNanos;
        long end = r != null && last != 0 ? last : rt.ticker.nanoTime();
        rt.metrics.requestCompleted(end - startNanos, failure); // last: the counts above are right whatever it does
    }
}
