package dev.vaultx.pool.impl.failover;

import dev.vaultx.pool.ConnectionPool;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.VaultTransportException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Keeps {@code concurrency} asynchronous requests in flight against a pool, continuously: each
 * completion immediately sends the next request. Counts successes (2xx), failures by kind (the
 * exception's simple class name, with the {@code FailureKind} of a transport failure, or
 * {@code HTTP <status>} for a non-2xx answer) and successes by the node that answered, and the
 * slowest request. {@link #stop()} stops sending, waits for the requests in flight and returns the
 * counts.
 *
 * <p>This class is thread-safe.
 */
final class SustainedLoad implements AutoCloseable {

    /** What a load run saw. */
    record Result(long successes, Map<String, Long> failures, Map<URI, Long> successesByNode, Duration slowest,
                  List<String> failureSamples) {

        long failureCount() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return "successes=" + successes + ", failures=" + failures + ", byNode=" + successesByNode
                    + ", slowest=" + slowest.toMillis() + "ms" + (failureSamples.isEmpty() ? "" : ", samples=" + failureSamples);
        }
    }

    private final ConnectionPool pool;
    private final Supplier<VaultRequest> requests;
    private final ExecutorService executor;
    private final CountDownLatch finished;
    private final LongAdder successes = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<URI, LongAdder> byNode = new ConcurrentHashMap<>();
    private final List<String> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong slowestNanos = new AtomicLong();
    private volatile boolean stopping;

    private SustainedLoad(ConnectionPool pool, int concurrency, Supplier<VaultRequest> requests) {
        this.pool = pool;
        this.requests = requests;
        this.finished = new CountDownLatch(concurrency);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sustained-load");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the load.
     *
     * @param pool the pool to drive
     * @param concurrency requests kept in flight
     * @param requests makes each request
     * @return the running load; {@link #stop()} it
     */
    static SustainedLoad start(ConnectionPool pool, int concurrency, Supplier<VaultRequest> requests) {
        SustainedLoad load = new SustainedLoad(pool, concurrency, requests);
        for (int i = 0; i < concurrency; i++) {
            load.executor.execute(load::next);
        }
        return load;
    }

    private void next() {
        if (stopping) {
            finished.countDown();
            return;
        }
        long start = System.nanoTime();
        try {
            pool.requestAsync(requests.get()).whenCompleteAsync((r, e) -> {
                record(r, e, System.nanoTime() - start);
                next();
            }, executor);
        } catch (RuntimeException e) {
            record(null, e, System.nanoTime() - start);
            executor.execute(this::next);
        }
    }

    private void record(VaultResponse r, Throwable e, long nanos) {
        slowestNanos.accumulateAndGet(nanos, Math::max);
        if (e != null) {
            Throwable cause = unwrap(e);
            String kind = cause.getClass().getSimpleName()
                    + (cause instanceof VaultTransportException t ? "(" + t.kind() + ")" : "");
            fail(kind, cause.getMessage());
        } else if (!r.isSuccess()) {
            fail("HTTP " + r.status(), "HTTP " + r.status() + " from " + r.node() + ": " + r.bodyAsString().trim());
        } else {
            successes.increment();
            byNode.computeIfAbsent(r.node(), n -> new LongAdder()).increment();
        }
    }

    private void fail(String kind, String message) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (samples.size() < 5) {
            samples.add(message);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** @return successful requests so far */
    long successes() {
        return successes.sum();
    }

    /** @return failed requests so far */
    long failures() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** @return successful requests answered by one node so far */
    long successesFrom(URI node) {
        LongAdder a = byNode.get(node);
        return a == null ? 0 : a.sum();
    }

    /**
     * Stops sending and waits (bounded) for the requests in flight.
     *
     * @return the counts
     */
    Result stop() {
        stopping = true;
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("requests of the load still in flight 30 s after stop(): " + snapshot());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
        return snapshot();
    }

    /** @return the counts now */
    Result snapshot() {
        Map<String, Long> f = new TreeMap<>();
        failures.forEach((k, v) -> f.put(k, v.sum()));
        Map<URI, Long> n = new TreeMap<>();
        byNode.forEach((k, v) -> n.put(k, v.sum()));
        return new Result(successes.sum(), f, n, Duration.ofNanos(slowestNanos.get()), List.copyOf(samples));
    }

    @Override
    public void close() {
        if (!stopping) {
            stop();
        }
    }
}
