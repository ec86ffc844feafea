package dev.vaultx.pool.bench;

import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.VaultResponse;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Scenario 3: {@code --pending} requests waiting at once on one slow node (a JDK HttpServer on
 * 127.0.0.1 that answers data requests after {@code --delay-ms}), with {@code maxPendingRequests}
 * = {@code --pending}. Reports the used heap after a full GC before and while they wait, and then
 * sends {@code --extra} more requests in two rounds, timing each {@code requestAsync} call: beyond
 * the limit each must be rejected at once with {@link PoolExhaustedException}.
 */
public final class ScaleMain {

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        int pending = args.getInt("pending", 10_000);
        int extra = args.getInt("extra", 2000);
        long delayMs = args.getInt("delay-ms", 60_000);
        int size = args.getInt("size", 10);
        int overflow = args.getInt("max-overflow", 5);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        try (StandInNode slow = new StandInNode(true, delayMs)) {
            PoolConfig config = PoolConfig.builder()
                    .name("scale")
                    .nodeUris(List.of(slow.uri()))
                    .size(size)
                    .maxOverflow(overflow)
                    .maxPendingRequests(pending)
                    .borrowTimeout(Duration.ofSeconds(300))
                    .requestTimeout(Duration.ofSeconds(300))
                    .attemptTimeout(Duration.ofSeconds(300))
                    .shutdownTimeout(Duration.ofMillis(100))
                    .build();
            AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config);
            pool.awaitReady(Duration.ofSeconds(10));
            VaultRequest request = VaultRequest.get(LoadClient.PATH).token(LoadClient.TOKEN).build();
            // warm the rejection path's classes and JIT on a throw-away pool would change what is measured; instead
            // the extra requests run in two rounds and both are reported
            long idle = usedAfterGc(mem);
            List<CompletableFuture<VaultResponse>> held = new ArrayList<>(pending + extra * 2);
            long t0 = System.nanoTime();
            for (int i = 0; i < pending; i++) {
                held.add(pool.requestAsync(request));
            }
            long submitNanos = System.nanoTime() - t0;
            Thread.sleep(1000);
            PoolStats s1 = pool.stats();
            long loaded = usedAfterGc(mem);
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "scale: one node answering data requests after %d ms; size=%d, maxOverflow=%d, maxPendingRequests=%d%n",
                    delayMs, size, overflow, pending));
            out.append(String.format(Locale.ROOT, "  submitted %d requests in %.1f ms (%.2f us each); then pending=%d, active connections=%d, done=%d%n",
                    pending, submitNanos / 1e6, submitNanos / 1e3 / pending, s1.pendingRequests(), s1.activeConnections(),
                    held.stream().filter(CompletableFuture::isDone).count()));
            out.append(String.format(Locale.ROOT, "  used heap after full GC: idle %.1f MiB, with them waiting %.1f MiB: +%.1f MiB (%.0f bytes per waiting request)%n",
                    idle / 1048576.0, loaded / 1048576.0, (loaded - idle) / 1048576.0, (double) (loaded - idle) / pending));
            for (int round = 1; round <= 2; round++) {
                long[] rejectNanos = new long[extra];
                int rejected = 0;
                int accepted = 0;
                String other = null;
                for (int i = 0; i < extra; i++) {
                    long s = System.nanoTime();
                    CompletableFuture<VaultResponse> f = pool.requestAsync(request);
                    boolean done = f.isDone();
                    long e = System.nanoTime();
                    if (done && f.isCompletedExceptionally()) {
                        Throwable cause = cause(f);
                        if (cause instanceof PoolExhaustedException) {
                            rejectNanos[rejected++] = e - s;
                        } else if (other == null) {
                            other = String.valueOf(cause);
                        }
                    } else {
                        accepted++;
                        held.add(f);
                    }
                }
                long[] r = Arrays.copyOf(rejectNanos, rejected);
                Arrays.sort(r);
                out.append(String.format(Locale.ROOT, "  %d more (round %d): rejected at once %d, accepted %d%s; time to reject: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                        extra, round, rejected, accepted, other == null ? "" : ", other failure " + other,
                        q(r, 0.5) / 1e3, q(r, 0.99) / 1e3, r.length == 0 ? 0 : r[r.length - 1] / 1e3));
            }
            PoolStats s2 = pool.stats();
            long after = usedAfterGc(mem);
            out.append(String.format(Locale.ROOT, "  afterwards: pending=%d (limit %d), used heap after full GC %.1f MiB (+%.1f MiB over idle)%n",
                    s2.pendingRequests(), pending, after / 1048576.0, (after - idle) / 1048576.0));
            String example = "(not rejected)";
            try {
                pool.requestAsync(request).get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                example = e.getCause().getMessage();
            } catch (java.util.concurrent.TimeoutException e) {
                example = "(accepted: no rejection)";
            }
            out.append("  rejection message: ").append(example).append('\n');
            System.out.print(out);
            pool.close();
        }
        System.exit(0);
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private static long q(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    private ScaleMain() {
    }
}
