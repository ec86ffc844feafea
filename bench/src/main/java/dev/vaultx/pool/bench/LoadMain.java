package dev.vaultx.pool.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 1, one run in this JVM: a closed loop of {@code --concurrency} GETs through one client,
 * {@code --warmup} seconds discarded, then {@code --duration} seconds measured. Prints one result
 * line and appends it (tab-separated, see {@link #HEADER}) to {@code --out}.
 *
 * <pre>java -cp ... dev.vaultx.pool.bench.LoadMain --client pool --concurrency 64 --warmup 5 --duration 10
 *      --nodes http://127.0.0.1:18201,http://127.0.0.1:18202,http://127.0.0.1:18203 --out results.tsv</pre>
 */
public final class LoadMain {

    static final String HEADER = "client\tjava\tconcurrency\trep\tseconds\trequests\terrors\tnon2xx\treq_per_s\tp50_us\tp90_us\tp99_us"
            + "\tp999_us\tcpu_us_per_req\talloc_bytes_per_req\tgc_count\tloadavg_end\tconns_per_1k";

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        String name = args.get("client", "pool");
        LoadClient.Settings s = new LoadClient.Settings(
                args.nodes("http://127.0.0.1:18201,http://127.0.0.1:18202,http://127.0.0.1:18203"),
                args.getInt("concurrency", 64), args.getInt("io-threads", Runtime.getRuntime().availableProcessors()),
                args.get("strategy", "ROUND_ROBIN"), args.getDouble("pool-request-timeout", 0), args.getDouble("pool-attempt-timeout", 0),
                args.get("ca-file", null));
        ServerStatus status = ServerStatus.of(args.get("status-url", null));
        Result r = run(name, s, args.getDouble("warmup", 5), args.getDouble("duration", 10), status);
        String line = String.join("\t", name + (name.equals("pool") && !s.strategy().equals("ROUND_ROBIN") ? "-" + s.strategy() : ""),
                String.valueOf(Runtime.version().feature()), String.valueOf(s.concurrency()), args.get("rep", "0"),
                fmt(r.seconds), String.valueOf(r.requests), String.valueOf(r.errors), String.valueOf(r.non2xx),
                fmt(r.requests / r.seconds), fmt(r.p50 / 1e3), fmt(r.p90 / 1e3), fmt(r.p99 / 1e3), fmt(r.p999 / 1e3),
                fmt(r.cpuNanos / 1e3 / Math.max(1, r.requests)), fmt((double) r.allocBytes / Math.max(1, r.requests)),
                String.valueOf(r.gcs), Args.loadAverage().split(" ")[0],
                r.connectionsOpened < 0 ? "nan" : fmt(r.connectionsOpened * 1000.0 / Math.max(1, r.requests)));
        System.out.println(HEADER);
        System.out.println(line);
        System.out.println(r.extra);
        if (r.firstError != null) {
            System.out.println("first error: " + r.firstError);
        }
        String out = args.get("out", null);
        if (out != null) {
            Path p = Path.of(out);
            if (!Files.exists(p)) {
                Files.writeString(p, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(p, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** The outcome of one measured window. */
    static final class Result {
        double seconds;
        long requests;
        long errors;
        long non2xx;
        long p50;
        long p90;
        long p99;
        long p999;
        long cpuNanos;
        long allocBytes;
        long gcs;
        /** Connections the servers accepted during the window (nginx stub_status), -1 if not measured. */
        long connectionsOpened = -1;
        String firstError;
        String extra = "";
    }

    /** Counts of one phase (warm-up or measurement). */
    static final class Phase implements ClosedLoop.Sink {
        final Histogram latency = new Histogram();
        final LongAdder ok = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder non2xx = new LongAdder();
        volatile String firstError;

        @Override
        public void ok(long start, long end, int status, int bytes, int node) {
            latency.record(end - start);
            ok.increment();
            if (status < 200 || status > 299 || bytes < 100) {
                non2xx.increment();
            }
        }

        @Override
        public void failed(long start, long end, Throwable t) {
            errors.increment();
            if (firstError == null) {
                firstError = String.valueOf(t);
            }
        }
    }

    static Result run(String name, LoadClient.Settings s, double warmup, double duration, ServerStatus status) throws Exception {
        try (LoadClient client = LoadClient.create(name, s)) {
            client.ready();
            Phase warm = new Phase();
            ClosedLoop loop = new ClosedLoop(client, s.concurrency(), warm);
            loop.start();
            Thread.sleep((long) (warmup * 1000));
            Phase measured = new Phase();
            Map<Long, Long> alloc0 = allocByThread();
            long[] gc0 = Cpu.gc();
            long accepts0 = status.accepts();
            long cpu0 = Cpu.processCpuNanos();
            long t0 = System.nanoTime();
            loop.sink(measured);
            Thread.sleep((long) (duration * 1000));
            loop.sink(new Phase());
            long t1 = System.nanoTime();
            long cpu1 = Cpu.processCpuNanos();
            long accepts1 = status.accepts();
            long[] gc1 = Cpu.gc();
            Map<Long, Long> alloc1 = allocByThread();
            stopFlightRecordings();
            String extra = "";
            if (client instanceof PoolLoadClient) {
                extra = "pool timer queue at the end of the window: "
                        + dev.vaultx.pool.impl.internal.PoolInternals.timerQueueSize(((PoolLoadClient) client).pool()) + " tasks; ";
            }
            java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            extra += "heap used " + heap.getUsed() / 1048576 + " MiB, gc time in window " + (gc1[1] - gc0[1]) + " ms";
            loop.stop(5000);
            Result r = new Result();
            r.seconds = (t1 - t0) / 1e9;
            r.requests = measured.ok.sum();
            r.errors = measured.errors.sum() + warm.errors.sum();
            r.non2xx = measured.non2xx.sum();
            r.p50 = measured.latency.quantile(0.50);
            r.p90 = measured.latency.quantile(0.90);
            r.p99 = measured.latency.quantile(0.99);
            r.p999 = measured.latency.quantile(0.999);
            r.cpuNanos = cpu1 - cpu0;
            long alloc = 0;
            for (Map.Entry<Long, Long> e : alloc1.entrySet()) {
                alloc += e.getValue() - alloc0.getOrDefault(e.getKey(), 0L);
            }
            r.allocBytes = alloc;
            r.gcs = gc1[0] - gc0[0];
            // the second status request's own connection is counted in accepts1
            r.connectionsOpened = accepts0 < 0 || accepts1 < 0 ? -1 : Math.max(0, accepts1 - accepts0 - 1);
            r.firstError = measured.firstError != null ? measured.firstError : warm.firstError;
            r.extra = extra;
            return r;
        }
    }

    /** Ends a JFR recording started with -XX:StartFlightRecording at the end of the window (close() is not profiled). */
    private static void stopFlightRecordings() {
        if (!jdk.jfr.FlightRecorder.isInitialized()) {
            return;
        }
        for (jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
            if (r.getState() == jdk.jfr.RecordingState.RUNNING) {
                r.stop();
            }
        }
    }

    private static Map<Long, Long> allocByThread() {
        var t = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = t.getAllThreadIds();
        long[] bytes = t.getThreadAllocatedBytes(ids);
        Map<Long, Long> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }

    private LoadMain() {
    }
}
