package dev.vaultx.pool.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns {@code throughput.tsv} (one line per run, see {@link LoadMain#HEADER}) into the Markdown
 * tables of BENCHMARKS.md: per concurrency and client the median and range of req/s, medians of
 * p50/p99, minimum and median CPU per request; then the targets as same-repetition ratios of the
 * pool to the other clients.
 */
public final class Summarize {

    record Row(String client, int conc, int rep, double rps, double p50, double p99, double cpu, double alloc, long errors,
               long non2xx, double load, double connsPer1k) {
    }

    public static void main(String[] a) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(a[0]));
        String[] head = lines.get(0).split("\t");
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int i = 0; i < head.length; i++) {
            col.put(head[i], i);
        }
        List<Row> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank() || l.startsWith("client\t")) {
                continue;
            }
            String[] f = l.split("\t");
            rows.add(new Row(f[col.get("client")], Integer.parseInt(f[col.get("concurrency")]), Integer.parseInt(f[col.get("rep")]),
                    d(f[col.get("req_per_s")]), d(f[col.get("p50_us")]), d(f[col.get("p99_us")]), d(f[col.get("cpu_us_per_req")]),
                    d(f[col.get("alloc_bytes_per_req")]), Long.parseLong(f[col.get("errors")]), Long.parseLong(f[col.get("non2xx")]),
                    d(f[col.get("loadavg_end")]), col.containsKey("conns_per_1k") && f.length > col.get("conns_per_1k")
                            ? d(f[col.get("conns_per_1k")]) : Double.NaN));
        }
        Map<Integer, Map<String, List<Row>>> by = new TreeMap<>();
        for (Row r : rows) {
            by.computeIfAbsent(r.conc, k -> new LinkedHashMap<>()).computeIfAbsent(r.client, k -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder();
        for (var e : by.entrySet()) {
            int c = e.getKey();
            out.append(String.format(Locale.ROOT, "#### %d in flight%n%n", c));
            out.append("| client | runs | req/s median | req/s min–max | p50 µs | p99 µs | CPU µs/req min | CPU µs/req median | alloc B/req "
                    + "| connections opened per 1,000 requests | errors |\n");
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (var ce : e.getValue().entrySet()) {
                List<Row> l = ce.getValue();
                double[] rps = l.stream().mapToDouble(Row::rps).toArray();
                double[] cpu = l.stream().mapToDouble(Row::cpu).toArray();
                double conns = med(l.stream().mapToDouble(Row::connsPer1k).toArray());
                out.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f–%,.0f | %.0f | %.0f | %.1f | %.1f | %s | %s | %d |%n",
                        ce.getKey().equals("pool-sized") ? "pool-sized (secondary: size = concurrency, no overflow)" : ce.getKey(),
                        l.size(), med(rps), min(rps), max(rps), med(l.stream().mapToDouble(Row::p50).toArray()),
                        med(l.stream().mapToDouble(Row::p99).toArray()), min(cpu), med(cpu),
                        Double.isNaN(med(l.stream().mapToDouble(Row::alloc).toArray())) ? "–"
                                : String.format(Locale.ROOT, "%,.0f", med(l.stream().mapToDouble(Row::alloc).toArray())),
                        Double.isNaN(conns) ? "–" : String.format(Locale.ROOT, "%.2f", conns),
                        l.stream().mapToLong(r -> r.errors + r.non2xx).sum()));
            }
            out.append('\n');
            List<Row> pool = e.getValue().getOrDefault("pool", List.of());
            if (pool.isEmpty()) {
                continue;
            }
            out.append("| target (same repetition, pool at its defaults vs …) | per repetition | median | met? |\n|---|---|---:|---|\n");
            double poolConns = med(pool.stream().mapToDouble(Row::connsPer1k).toArray());
            if (!Double.isNaN(poolConns)) {
                out.append(String.format(Locale.ROOT, "| connections opened per 1,000 requests ≈ 0 after warm-up | %s | %.2f | %s |%n",
                        list(pool.stream().mapToDouble(Row::connsPer1k).toArray(), "%.2f"), poolConns, poolConns < 0.05 ? "yes" : "**no**"));
            }
            List<Row> raw = e.getValue().getOrDefault("raw", List.of());
            if (!raw.isEmpty()) {
                double[] ratio = paired(pool, raw, (p, r) -> p.rps / r.rps);
                double[] dcpu = paired(pool, raw, (p, r) -> p.cpu - r.cpu);
                double minDiff = min(pool.stream().mapToDouble(Row::cpu).toArray()) - min(raw.stream().mapToDouble(Row::cpu).toArray());
                out.append(String.format(Locale.ROOT, "| CPU/req ≤ raw + 1.5 µs | %s µs | %+.2f µs (min vs min: %+.2f µs) | %s |%n", list(dcpu, "%+.2f"),
                        med(dcpu), minDiff, med(dcpu) <= 1.5 && minDiff <= 1.5 ? "yes" : "**no**"));
                out.append(String.format(Locale.ROOT, "| req/s ≥ 0.95 × raw | %s | %.2f× | %s |%n", list(ratio, "%.2f"), med(ratio),
                        med(ratio) >= 0.95 ? "yes" : "**no**"));
            }
            for (String other : new String[] {"jdk", "jetty", "okhttp"}) {
                List<Row> o = e.getValue().getOrDefault(other, List.of());
                if (!o.isEmpty()) {
                    double[] ratio = paired(pool, o, (p, r) -> p.rps / r.rps);
                    out.append(String.format(Locale.ROOT, "| req/s ≥ 2 × %s | %s | %.2f× | %s |%n", other, list(ratio, "%.2f"), med(ratio),
                            med(ratio) >= 2 ? "yes" : "**no**"));
                }
            }
            List<Row> wrk = e.getValue().getOrDefault("wrk", List.of());
            if (!wrk.isEmpty()) {
                double[] ratio = paired(pool, wrk, (p, r) -> p.rps / r.rps);
                out.append(String.format(Locale.ROOT, "| req/s ≥ 0.6 × wrk | %s | %.2f× | %s |%n", list(ratio, "%.2f"), med(ratio),
                        med(ratio) >= 0.6 ? "yes" : "**no**"));
            }
            out.append('\n');
        }
        double[] load = rows.stream().mapToDouble(Row::load).filter(x -> !Double.isNaN(x)).toArray();
        out.append(String.format(Locale.ROOT, "1-minute load average at the end of each run: median %.2f, min %.2f, max %.2f%n", med(load), min(load),
                max(load)));
        System.out.print(out);
    }

    interface Pair {
        double f(Row pool, Row other);
    }

    private static double[] paired(List<Row> pool, List<Row> other, Pair f) {
        List<Double> v = new ArrayList<>();
        for (Row p : pool) {
            for (Row o : other) {
                if (o.rep == p.rep) {
                    v.add(f.f(p, o));
                }
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String list(double[] v, String fmt) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, fmt, x));
        }
        return b.toString();
    }

    private static double d(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static double med(double[] v) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
    }

    private Summarize() {
    }
}
