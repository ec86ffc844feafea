package dev.vaultx.pool.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a JFR recording and prints where the CPU samples and the allocation went: top methods by
 * own samples, pool methods by inclusive samples, samples attributed to the nearest pool frame,
 * and allocation by class and by nearest pool frame. Usage: {@code JfrTop file.jfr [prefix]}.
 */
public final class JfrTop {

    public static void main(String[] a) throws Exception {
        String prefix = a.length > 1 ? a[1] : "dev.vaultx.pool";
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> nearest = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocNearest = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Map<String, Long>> paths = new HashMap<>();
        long samples = 0;
        long poolSamples = 0;
        long allocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a[0]))) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (st == null) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("-\\d+$", "-N"), 1L, Long::sum);
                if (!frames.isEmpty()) {
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    // the call path from the nearest pool frame (or 6 frames up) down to the sampled method
                    StringBuilder path = new StringBuilder();
                    for (int i = 1; i < frames.size() && i <= 12; i++) {
                        path.append(" < ").append(name(frames.get(i)));
                        if (frames.get(i).getMethod().getType().getName().startsWith(prefix) || i == 6) {
                            break;
                        }
                    }
                    paths.computeIfAbsent(name(frames.get(0)), k -> new HashMap<>()).merge(path.toString(), 1L, Long::sum);
                }
                java.util.Set<String> seen = new java.util.HashSet<>();
                String near = null;
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (f.getMethod().getType().getName().startsWith(prefix)) {
                        if (near == null) {
                            near = n;
                        }
                        if (seen.add(n)) {
                            inclusive.merge(n, 1L, Long::sum);
                        }
                    }
                }
                if (near != null) {
                    poolSamples++;
                    nearest.merge(near, 1L, Long::sum);
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long w = e.getLong("weight");
                allocTotal += w;
                allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                String near = "(no pool frame)";
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith(prefix)) {
                        near = name(f);
                        break;
                    }
                }
                allocNearest.merge(near, w, Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples, %d (%.1f %%) with a %s frame on the stack%n%n", samples, poolSamples,
                100.0 * poolSamples / Math.max(1, samples), prefix);
        print("samples by thread", threads, samples, 10);
        print("top methods by own samples (self time)", self, samples, 30);
        System.out.println("== call paths of the 12 hottest methods (up to the nearest " + prefix + " frame)");
        self.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(12).forEach(e -> {
            System.out.printf(Locale.ROOT, "  %s (%d samples)%n", e.getKey(), e.getValue());
            paths.get(e.getKey()).entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(3)
                    .forEach(p -> System.out.printf(Locale.ROOT, "      %5d %s%n", p.getValue(), p.getKey()));
        });
        System.out.println();
        print(prefix + " methods by inclusive samples", inclusive, samples, 30);
        print("samples attributed to the nearest " + prefix + " frame (what the pool's code calls, itself included)", nearest, samples, 30);
        print("allocation (sampled weight) by class", allocClass, allocTotal, 20);
        print("allocation by nearest " + prefix + " frame", allocNearest, allocTotal, 20);
    }

    private static String name(RecordedFrame f) {
        String c = f.getMethod().getType().getName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + (f.getLineNumber() > 0 ? "" : "");
    }

    private static void print(String title, Map<String, Long> m, long total, int n) {
        System.out.println("== " + title);
        m.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(n)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %6.2f %%  %10d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey()));
        System.out.println();
    }

    private JfrTop() {
    }
}
