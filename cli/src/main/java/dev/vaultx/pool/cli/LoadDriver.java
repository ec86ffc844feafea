package dev.vaultx.pool.cli;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@code concurrency} requests in flight through a pool until stopped (or until a number of
 * requests was sent), recording every outcome. A closed loop with no thread of its own: each
 * completed request issues the next one from its completion callback, so a request costs the
 * driver no thread hand-off. A request that completes at once (a rejection) is followed in a loop,
 * not by recursion. This class is thread-safe.
 */
final class LoadDriver {

    /** Told of every finished request, after it was recorded. */
    interface Observer {
        void finished(VaultResponse response, Throwable error, long nanos);
    }

    private final ConnectionPool pool;
    private final VaultRequest request;
    private final int concurrency;
    private final long maxRequests;
    private final Outcomes outcomes;
    private final Observer observer;
    private final AtomicLong issued = new AtomicLong();
    /** Loops still going: each ends when it is told to stop or the request limit is reached. */
    private final AtomicInteger loops = new AtomicInteger();
    /** Completed once every loop has ended and its last request finished. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean running = true;

    /**
     * @param maxRequests stop after this many requests; 0 for no limit
     * @param observer told of each finished request, or {@code null}
     */
    LoadDriver(ConnectionPool pool, VaultRequest request, int concurrency, long maxRequests, Outcomes outcomes,
               Observer observer) {
        this.pool = pool;
        this.request = request;
        this.concurrency = concurrency;
        this.maxRequests = maxRequests;
        this.outcomes = outcomes;
        this.observer = observer;
    }

    /** Sends the first {@code concurrency} requests; the rest follow from their completions. */
    void start() {
        loops.set(concurrency);
        for (int i = 0; i < concurrency; i++) {
            loop();
        }
    }

    /** Issues requests one after another on one loop until one is still under way, or the loop ends. */
    private void loop() {
        while (true) {
            if (!running || (maxRequests > 0 && issued.incrementAndGet() > maxRequests)) {
                if (loops.decrementAndGet() == 0) {
                    ended.complete(null);
                }
                return;
            }
            if (maxRequests == 0) {
                issued.incrementAndGet();
            }
            long start = System.nanoTime();
            CompletableFuture<VaultResponse> f;
            try {
                f = pool.requestAsync(request);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            if (!f.isDone()) {
                f.whenComplete((r, e) -> {
                    finished(r, e, start);
                    loop();
                });
                return;
            }
            f.handle((r, e) -> {
                finished(r, e, start);
                return null;
            });
        }
    }

    private void finished(VaultResponse r, Throwable e, long start) {
        long nanos = System.nanoTime() - start;
        outcomes.record(r, e, nanos);
        if (observer != null) {
            observer.finished(r, e, nanos);
        }
    }

    /** @return {@code true} once a request limit was reached and every request finished */
    boolean done() {
        return ended.isDone();
    }

    /** Stops sending new requests; those in flight go on. */
    void stop() {
        running = false;
    }

    /**
     * Waits for every request in flight to finish (after {@link #stop()} or the request limit).
     *
     * @return {@code true} if all finished in time
     */
    boolean awaitInFlight(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    /** @return requests sent so far */
    long issued() {
        return Math.min(issued.get(), maxRequests > 0 ? maxRequests : Long.MAX_VALUE);
    }
}
