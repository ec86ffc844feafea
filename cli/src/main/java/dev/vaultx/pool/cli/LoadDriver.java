package dev.vaultx.pool.cli;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@code concurrency} requests in flight through a pool until stopped (or until a number of
 * requests was sent), recording every outcome. This class is thread-safe.
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
    private final Semaphore permits;
    private final AtomicLong issued = new AtomicLong();
    private final Thread thread;
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
        this.permits = new Semaphore(concurrency);
        this.thread = new Thread(this::drive, "vaultx-load-driver");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void drive() {
        while (running && (maxRequests == 0 || issued.get() < maxRequests)) {
            try {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!running) {
                permits.release();
                return;
            }
            issued.incrementAndGet();
            long start = System.nanoTime();
            CompletableFuture<VaultResponse> f;
            try {
                f = pool.requestAsync(request);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((r, e) -> {
                try {
                    long nanos = System.nanoTime() - start;
                    outcomes.record(r, e, nanos);
                    if (observer != null) {
                        observer.finished(r, e, nanos);
                    }
                } finally {
                    permits.release();
                }
            });
        }
    }

    /** @return {@code true} once a request limit was reached and every request finished */
    boolean done() {
        return maxRequests > 0 && issued.get() >= maxRequests && permits.availablePermits() == concurrency;
    }

    /** Stops sending new requests; those in flight go on. */
    void stop() {
        running = false;
        thread.interrupt();
    }

    /**
     * Waits for the driver to stop and every request in flight to finish.
     *
     * @return {@code true} if all finished in time
     */
    boolean awaitInFlight(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        thread.join(Math.max(1, timeout.toMillis()));
        long left = deadline - System.nanoTime();
        if (left <= 0 || !permits.tryAcquire(concurrency, left, TimeUnit.NANOSECONDS)) {
            return false;
        }
        permits.release(concurrency);
        return true;
    }

    /** @return requests sent so far */
    long issued() {
        return issued.get();
    }

    /** @return requests sent and not finished yet */
    int inFlight() {
        return concurrency - permits.availablePermits();
    }
}
