package dev.vaultx.pool.bench;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scenario 2: the failover timeline. A closed loop of {@code --concurrency} GETs through the pool
 * for {@code --duration} seconds; at {@code --kill-at} the command {@code --kill-cmd} kills node 1
 * (and, in the VAULT_AWARE scenario, makes node 2 the active node), at {@code --restore-at}
 * {@code --restore-cmd} starts it again. Successes, failures, p99 and successes per node are
 * recorded per 100 ms; the pool's view of node 1 (usable or not) is polled every 10 ms. Writes a
 * CSV, a PNG and a summary. With {@code --warmup-failover true} an unmeasured failover runs during the
 * warm-up first.
 */
public final class FailoverMain {

    static final long BUCKET_NANOS = 100_000_000L;

    /**
     * A failover during the warm-up, unmeasured: kill node 1 at a fifth of it, restore it at two fifths, wait until
     * the pool uses it again. The measured failover is then the JVM's second, with the failure paths compiled
     * (ROUND_ROBIN only: in VAULT_AWARE the kill command also moves the active role).
     */
    private static void warmUpFailover(Args args, AsyncHttpConnectionPool pool, long warmupMillis) throws Exception {
        long start = System.currentTimeMillis();
        Thread.sleep(warmupMillis / 5);
        exec(args.get("kill-cmd", "true"));
        Thread.sleep(warmupMillis / 5);
        exec(args.get("restore-cmd", "true"));
        while (!pool.health().nodes().get(0).usable() && System.currentTimeMillis() - start < warmupMillis) {
            Thread.sleep(10);
        }
        long left = warmupMillis - (System.currentTimeMillis() - start);
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        List<URI> nodes = args.nodes("http://127.0.0.1:18201,http://127.0.0.1:18202,http://127.0.0.1:18203");
        String strategy = args.get("strategy", "VAULT_AWARE");
        int concurrency = args.getInt("concurrency", 64);
        double duration = args.getDouble("duration", 25);
        double killAt = args.getDouble("kill-at", 5);
        double restoreAt = args.getDouble("restore-at", 15);
        double healthInterval = args.getDouble("health-interval", 2);
        int buckets = (int) Math.ceil(duration * 1e9 / BUCKET_NANOS) + 1;

        var builder = PoolConfig.builder()
                .name("failover")
                .nodeUris(nodes)
                // size and maxOverflow at the defaults (10 and 5): with 64 in flight, requests wait for leases
                .ioThreads(args.getInt("io-threads", 1))
                .balancingStrategy(BalancingStrategy.valueOf(strategy))
                .healthCheckInterval(Duration.ofMillis((long) (healthInterval * 1000)));
        // the pool's default timeouts unless asked otherwise (see BENCHMARKS.md: short timeouts bound the timer queue)
        double requestTimeout = args.getDouble("pool-request-timeout", 0);
        double attemptTimeout = args.getDouble("pool-attempt-timeout", 0);
        if (requestTimeout > 0) {
            builder.requestTimeout(Duration.ofMillis((long) (requestTimeout * 1000)));
        }
        if (attemptTimeout > 0) {
            builder.attemptTimeout(Duration.ofMillis((long) (attemptTimeout * 1000)));
        }
        PoolConfig config = builder.build();
        Timeline tl = new Timeline(buckets, nodes.size());
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            pool.awaitReady(Duration.ofSeconds(10));
            VaultRequest request = VaultRequest.get(LoadClient.PATH).token(LoadClient.TOKEN).build();
            URI[] configured = pool.config().nodes().toArray(new URI[0]);
            LoadClient client = new LoadClient() {
                @Override
                public void send(Done done) {
                    pool.requestAsync(request).whenComplete((r, e) -> {
                        if (e != null) {
                            done.failed(e);
                        } else {
                            int n = -1;
                            for (int i = 0; i < configured.length; i++) {
                                if (configured[i].equals(r.node())) {
                                    n = i;
                                }
                            }
                            done.completed(r.status(), r.body().length, n);
                        }
                    });
                }

                @Override
                public void close() {
                }
            };
            // warm up (JIT) for --warmup seconds (default 5) before the clock starts
            ClosedLoop loop = new ClosedLoop(client, concurrency, new LoadMain.Phase());
            loop.start();
            long warmupMillis = (long) (args.getDouble("warmup", 5) * 1000);
            if (args.get("warmup-failover", "false").equals("true")) {
                warmUpFailover(args, pool, warmupMillis);
            } else {
                Thread.sleep(warmupMillis);
            }
            tl.t0 = System.nanoTime();
            loop.sink(tl);
            boolean killed = false;
            boolean restored = false;
            long end = tl.t0 + (long) (duration * 1e9);
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                double t = (now - tl.t0) / 1e9;
                if (!killed && t >= killAt) {
                    tl.killNanos = System.nanoTime() - tl.t0;
                    exec(args.get("kill-cmd", "true"));
                    tl.killDoneNanos = System.nanoTime() - tl.t0;
                    killed = true;
                }
                if (!restored && t >= restoreAt) {
                    tl.restoreNanos = System.nanoTime() - tl.t0;
                    exec(args.get("restore-cmd", "true"));
                    tl.restoreDoneNanos = System.nanoTime() - tl.t0;
                    restored = true;
                }
                PoolHealth h = pool.health();
                NodeHealth n1 = h.nodes().get(0);
                int b = tl.bucket(System.nanoTime());
                if (b < buckets) {
                    tl.node1Usable[b] = n1.usable() ? 1 : 0;
                    tl.node1Role[b] = n1.role().name();
                    tl.activeNode[b] = h.activeNode() == null ? "-" : String.valueOf(h.activeNode().getPort());
                    if (restored && n1.usable() && tl.node1UsableAgainNanos < 0) {
                        tl.node1UsableAgainNanos = System.nanoTime() - tl.t0;
                    }
                }
                Thread.sleep(10);
            }
            loop.sink(new LoadMain.Phase());
            loop.stop(5000);
        }
        tl.write(args, strategy, concurrency, killAt, restoreAt, healthInterval);
        System.exit(0);
    }

    private static void exec(String cmd) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            System.err.println("command failed (" + rc + "): " + cmd + "\n" + out);
        }
    }

    /** Per-bucket counters; a {@link ClosedLoop.Sink}. */
    static final class Timeline implements ClosedLoop.Sink {
        final int buckets;
        volatile long t0 = Long.MAX_VALUE;
        final AtomicLongArray ok;
        final AtomicLongArray failed;
        final AtomicLongArray[] perNode;
        final Histogram[] latency;
        final int[] node1Usable;
        final String[] node1Role;
        final String[] activeNode;
        final AtomicLong firstNode1AfterRestore = new AtomicLong(-1);
        volatile long killNanos = -1;
        volatile long killDoneNanos = -1;
        volatile long restoreNanos = -1;
        volatile long restoreDoneNanos = -1;
        volatile long node1UsableAgainNanos = -1;
        volatile String firstError;
        final List<String> errors = new ArrayList<>();

        Timeline(int buckets, int nodes) {
            this.buckets = buckets;
            ok = new AtomicLongArray(buckets);
            failed = new AtomicLongArray(buckets);
            perNode = new AtomicLongArray[nodes];
            for (int i = 0; i < nodes; i++) {
                perNode[i] = new AtomicLongArray(buckets);
            }
            latency = new Histogram[buckets];
            for (int i = 0; i < buckets; i++) {
                latency[i] = new Histogram();
            }
            node1Usable = new int[buckets];
            Arrays.fill(node1Usable, -1);
            node1Role = new String[buckets];
            activeNode = new String[buckets];
        }

        int bucket(long nanos) {
            long d = nanos - t0;
            return d < 0 ? -1 : (int) (d / BUCKET_NANOS);
        }

        @Override
        public void ok(long start, long end, int status, int bytes, int node) {
            int b = bucket(end);
            if (b < 0 || b >= buckets) {
                return;
            }
            if (status != 200) {
                failed(start, end, new IllegalStateException("HTTP " + status));
                return;
            }
            ok.incrementAndGet(b);
            latency[b].record(end - start);
            if (node >= 0) {
                perNode[node].incrementAndGet(b);
                if (node == 0 && restoreDoneNanos >= 0 && end - t0 >= restoreDoneNanos) {
                    firstNode1AfterRestore.compareAndSet(-1, end - t0);
                }
            }
        }

        @Override
        public void failed(long start, long end, Throwable t) {
            int b = bucket(end);
            if (b < 0 || b >= buckets) {
                return;
            }
            failed.incrementAndGet(b);
            synchronized (errors) {
                if (errors.size() < 20) {
                    errors.add(String.format(Locale.ROOT, "t=%.3fs %s", (end - t0) / 1e9, t));
                }
            }
        }

        void write(Args args, String strategy, int concurrency, double killAt, double restoreAt, double healthInterval)
                throws Exception {
            int last = buckets - 1; // the last bucket is partial
            StringBuilder csv = new StringBuilder("t_s,ok,failed,p99_ms,node1_ok,node2_ok,node3_ok,node1_usable,node1_role,active_port\n");
            for (int b = 0; b < last; b++) {
                csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%.3f,%d,%d,%d,%d,%s,%s%n", b * 0.1, ok.get(b), failed.get(b),
                        latency[b].quantile(0.99) / 1e6, perNode[0].get(b), perNode.length > 1 ? perNode[1].get(b) : 0,
                        perNode.length > 2 ? perNode[2].get(b) : 0, node1Usable[b], node1Role[b], activeNode[b]));
            }
            Files.writeString(Path.of(args.get("csv", "failover.csv")), csv);

            int killB = (int) (killNanos / BUCKET_NANOS);
            int restoreB = (int) (restoreNanos / BUCKET_NANOS);
            long[] before = new long[Math.max(1, killB - 10)];
            for (int b = 10; b < killB; b++) {
                before[b - 10] = ok.get(b);
            }
            Arrays.sort(before);
            double baseline = before[before.length / 2];
            long totalFailed = 0;
            long totalOk = 0;
            for (int b = 0; b < last; b++) {
                totalFailed += failed.get(b);
                totalOk += ok.get(b);
            }
            // goodput smoothed over 300 ms (the bucket and its neighbours): a single slow bucket on a shared box is noise
            int firstBad = -1;
            int lastBad = -1;
            int firstGood = -1;
            for (int b = killB; b < Math.min(restoreB, last - 1); b++) {
                double smooth = (ok.get(Math.max(0, b - 1)) + ok.get(b) + ok.get(b + 1)) / 3.0;
                if (smooth < 0.9 * baseline) {
                    if (firstBad < 0) {
                        firstBad = b;
                    }
                    lastBad = b;
                } else if (firstBad >= 0 && firstGood < 0) {
                    firstGood = b;
                }
            }
            double recovery = lastBad < 0 ? 0 : (lastBad + 1) * 0.1 - killNanos / 1e9;
            double firstRecovery = firstBad < 0 ? 0 : firstGood < 0 ? recovery : firstGood * 0.1 - killNanos / 1e9;
            long failedAfterKill = 0;
            for (int b = killB; b < last; b++) {
                failedAfterKill += failed.get(b);
            }
            long maxP99 = 0;
            for (int b = killB; b < Math.min(killB + 30, last); b++) {
                maxP99 = Math.max(maxP99, latency[b].quantile(0.99));
            }
            long f = firstNode1AfterRestore.get();
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "failover %s: %d in flight, health interval %.1fs; node 1 killed at %.3fs (command done %.3fs), "
                    + "restarted at %.3fs (listening at %.3fs)%n", strategy, concurrency, healthInterval, killNanos / 1e9,
                    killDoneNanos / 1e9, restoreNanos / 1e9, restoreDoneNanos / 1e9));
            s.append(String.format(Locale.ROOT, "  requests ok: %d, failed: %d, of which after the kill: %d (all are reads)%n", totalOk, totalFailed, failedAfterKill));
            s.append(String.format(Locale.ROOT, "  goodput before the kill: %.0f per 100 ms (median of 1 s..kill)%n", baseline));
            s.append(String.format(Locale.ROOT, "  goodput (300 ms average) below 90%% of it between kill and restore: %s; first back to >= 90%% %.1f s after the kill, "
                    + "for good %.1f s after the kill%n",
                    firstBad < 0 ? "never" : String.format(Locale.ROOT, "%.1f s..%.1f s", firstBad * 0.1, (lastBad + 1) * 0.1), firstRecovery, recovery));
            s.append(String.format(Locale.ROOT, "  worst p99 in the 3 s after the kill: %.1f ms%n", maxP99 / 1e6));
            s.append(String.format(Locale.ROOT, "  node 1 usable again (pool health) %s after it listened; first read served by node 1 %s after it listened%n",
                    node1UsableAgainNanos < 0 ? "never" : String.format(Locale.ROOT, "%.3f s", (node1UsableAgainNanos - restoreDoneNanos) / 1e9),
                    f < 0 ? "never (no read went to it)" : String.format(Locale.ROOT, "%.3f s", (f - restoreDoneNanos) / 1e9)));
            synchronized (errors) {
                for (String e : errors) {
                    s.append("  failure: ").append(e).append('\n');
                }
            }
            Files.writeString(Path.of(args.get("summary", "failover.txt")), s);
            System.out.print(s);
            plot(args.get("png", "failover.png"), strategy, args.get("title", ""), concurrency, last, baseline);
        }

        private void plot(String file, String strategy, String title, int concurrency, int n, double baseline) throws Exception {
            int w = 1100;
            int h = 640;
            int left = 70;
            int right = 20;
            int top = 50;
            int mid = 390;
            int bottom = 590;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "vaultx-pool failover, %s%s, %d in flight: node 1 killed at %.1f s, back at %.1f s",
                    strategy, title, concurrency, killNanos / 1e9, restoreNanos / 1e9), left, 25);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            long maxOk = 1;
            long maxP99 = 1;
            for (int b = 0; b < n; b++) {
                maxOk = Math.max(maxOk, ok.get(b) + failed.get(b));
                maxP99 = Math.max(maxP99, latency[b].quantile(0.99));
            }
            maxOk = (long) (maxOk * 1.1);
            double xs = (double) (w - left - right) / n;
            // panel 1: per 100 ms, successes (total and per node) and failures
            axes(g, left, top + 20, w - right, mid, n, maxOk, "requests per 100 ms");
            Color[] nodeColors = {new Color(0, 114, 178), new Color(0, 158, 115), new Color(230, 159, 0)};
            g.setColor(new Color(170, 170, 170));
            g.setStroke(new BasicStroke(5f));
            line(g, ok, n, left, mid, xs, (double) (mid - top - 20) / maxOk);
            for (int node = 0; node < perNode.length && node < 3; node++) {
                g.setColor(nodeColors[node]);
                g.setStroke(new BasicStroke(1.6f));
                line(g, perNode[node], n, left, mid, xs, (double) (mid - top - 20) / maxOk);
            }
            g.setColor(Color.RED);
            for (int b = 0; b < n; b++) {
                long fl = failed.get(b);
                if (fl > 0) {
                    int y = mid - (int) Math.max(2, fl * (double) (mid - top - 20) / maxOk);
                    g.fillRect(left + (int) (b * xs), y, Math.max(2, (int) xs), mid - y);
                }
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            int yb = mid - (int) (0.9 * baseline * (mid - top - 20) / maxOk);
            g.drawLine(left, yb, w - right, yb);
            g.drawString("90 % of goodput before the kill", w - right - 200, yb - 4);
            // panel 2: p99 latency per 100 ms
            axes(g, left, mid + 40, w - right, bottom, n, Math.max(1, maxP99 / 1_000_000 + 1), "p99 (ms)");
            g.setColor(new Color(204, 121, 167));
            g.setStroke(new BasicStroke(1.5f));
            double ys = (double) (bottom - mid - 40) / (Math.max(1, maxP99 / 1_000_000 + 1) * 1e6);
            int px = -1;
            int py = -1;
            for (int b = 0; b < n; b++) {
                int x = left + (int) ((b + 0.5) * xs);
                int y = bottom - (int) (latency[b].quantile(0.99) * ys);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            // events
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            event(g, killNanos, "node 1 killed", left, xs, top + 20, bottom, Color.RED);
            event(g, restoreNanos, "node 1 back", left, xs, top + 20, bottom, new Color(0, 114, 178));
            // legend
            g.setStroke(new BasicStroke(2f));
            String[] labels = {"ok (all nodes)", "ok via node 1", "ok via node 2", "ok via node 3", "failed"};
            Color[] colors = {new Color(170, 170, 170), nodeColors[0], nodeColors[1], nodeColors[2], Color.RED};
            int lx = left + 10;
            for (int i = 0; i < labels.length; i++) {
                g.setColor(colors[i]);
                g.drawLine(lx, 42, lx + 18, 42);
                g.setColor(Color.BLACK);
                g.drawString(labels[i], lx + 22, 46);
                lx += 30 + g.getFontMetrics().stringWidth(labels[i]);
            }
            g.setColor(Color.BLACK);
            g.drawString("time (s)", w / 2, h - 12);
            g.dispose();
            ImageIO.write(img, "png", new File(file));
        }

        private static void line(Graphics2D g, AtomicLongArray v, int n, int left, int base, double xs, double ys) {
            int px = -1;
            int py = -1;
            for (int b = 0; b < n; b++) {
                int x = left + (int) ((b + 0.5) * xs);
                int y = base - (int) (v.get(b) * ys);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }

        private void event(Graphics2D g, long nanos, String label, int left, double xs, int y0, int y1, Color c) {
            if (nanos < 0) {
                return;
            }
            int x = left + (int) (nanos / (double) BUCKET_NANOS * xs);
            g.setColor(c);
            g.drawLine(x, y0, x, y1);
            g.drawString(label, x + 4, y0 + 12);
        }

        private static void axes(Graphics2D g, int x0, int y0, int x1, int y1, int n, long max, String label) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1f));
            g.drawLine(x0, y1, x1, y1);
            g.drawLine(x0, y0, x0, y1);
            double xs = (double) (x1 - x0) / n;
            for (int b = 0; b <= n; b += 10) {
                int x = x0 + (int) (b * xs);
                g.drawLine(x, y1, x, y1 + 4);
                if (b % 20 == 0) {
                    g.drawString(String.valueOf(b / 10), x - 4, y1 + 17);
                }
            }
            long step = niceStep(max);
            for (long v = 0; v <= max; v += step) {
                int y = y1 - (int) (v * (double) (y1 - y0) / max);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(x0 + 1, y, x1, y);
                g.setColor(Color.BLACK);
                g.drawString(String.valueOf(v), x0 - 8 - g.getFontMetrics().stringWidth(String.valueOf(v)), y + 4);
            }
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString(label, -(y0 + y1) / 2 - r.getFontMetrics().stringWidth(label) / 2, x0 - 50);
            r.dispose();
        }

        private static long niceStep(long max) {
            long raw = Math.max(1, max / 5);
            long p = 1;
            while (p * 10 <= raw) {
                p *= 10;
            }
            for (long m : new long[] {1, 2, 5, 10}) {
                if (p * m >= raw) {
                    return p * m;
                }
            }
            return p * 10;
        }
    }

    private FailoverMain() {
    }
}
