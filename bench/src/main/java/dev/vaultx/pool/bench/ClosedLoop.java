package dev.vaultx.pool.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed loop of {@code concurrency} requests in flight: each completion records its latency and
 * sends the next request at once from the completing thread. A failure waits 1 ms before the next
 * request (so that a dead server is not spun on). A client that completes synchronously inside
 * {@code send} is handed off to a thread after a few nested calls, so the stack stays bounded.
 *
 * <p>What is recorded goes to a {@link Sink}, which the scenario can swap (warm-up vs. measurement,
 * or one per time bucket).
 */
public final class ClosedLoop {

    /** Where completions are recorded. */
    public interface Sink {
        void ok(long startNanos, long endNanos, int status, int bytes, int node);

        void failed(long startNanos, long endNanos, Throwable t);
    }

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final LoadClient client;
    private final int concurrency;
    private final ScheduledExecutorService helper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "closed-loop-helper");
        t.setDaemon(true);
        return t;
    });
    private volatile Sink sink;
    private volatile boolean stopping;
    private final LongAdder inFlight = new LongAdder();

    public ClosedLoop(LoadClient client, int concurrency, Sink sink) {
        this.client = client;
        this.concurrency = concurrency;
        this.sink = sink;
    }

    public void sink(Sink s) {
        this.sink = s;
    }

    public void start() {
        for (int i = 0; i < concurrency; i++) {
            fire();
        }
    }

    /** Stops sending and waits up to {@code timeoutMillis} for the requests in flight. */
    public void stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        long end = System.currentTimeMillis() + timeoutMillis;
        while (inFlight.sum() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        helper.shutdownNow();
    }

    private void fire() {
        if (stopping) {
            return;
        }
        int[] depth = DEPTH.get();
        if (depth[0] > 4) {
            helper.execute(this::fire);
            return;
        }
        depth[0]++;
        try {
            inFlight.increment();
            long start = System.nanoTime();
            try {
                client.send(new LoadClient.Done() {
                    @Override
                    public void completed(int status, int bodyBytes, int node) {
                        long end = System.nanoTime();
                        inFlight.decrement();
                        sink.ok(start, end, status, bodyBytes, node);
                        fire();
                    }

                    @Override
                    public void failed(Throwable t) {
                        long end = System.nanoTime();
                        inFlight.decrement();
                        sink.failed(start, end, t);
                        if (!stopping) {
                            helper.schedule(ClosedLoop.this::fire, 1, TimeUnit.MILLISECONDS);
                        }
                    }
                });
            } catch (RuntimeException e) {
                long end = System.nanoTime();
                inFlight.decrement();
                sink.failed(start, end, e);
                if (!stopping) {
                    helper.schedule(this::fire, 1, TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            depth[0]--;
        }
    }
}
