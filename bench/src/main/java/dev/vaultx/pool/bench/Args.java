package dev.vaultx.pool.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --key value} command-line options. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String k = a.substring(2);
            int eq = k.indexOf('=');
            if (eq >= 0) {
                values.put(k.substring(0, eq), k.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(k, args[++i]);
            } else {
                values.put(k, "true");
            }
        }
    }

    String get(String k, String def) {
        return values.getOrDefault(k, def);
    }

    int getInt(String k, int def) {
        return values.containsKey(k) ? Integer.parseInt(values.get(k)) : def;
    }

    double getDouble(String k, double def) {
        return values.containsKey(k) ? Double.parseDouble(values.get(k)) : def;
    }

    List<URI> nodes(String def) {
        List<URI> l = new ArrayList<>();
        for (String s : get("nodes", def).split(",")) {
            URI u = URI.create(s.trim());
            if (!"127.0.0.1".equals(u.getHost()) && !"localhost".equals(u.getHost())) {
                throw new IllegalArgumentException("node " + u + ": the benchmarks only ever talk to 127.0.0.1");
            }
            l.add(u);
        }
        return l;
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
