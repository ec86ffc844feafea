package dev.vaultx.pool.cli;

import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolStats;
import dev.vaultx.pool.VaultRequest;
import dev.vaultx.pool.impl.AsyncHttpConnectionPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Drives load through the pool against real (or any Vault-compatible) nodes and reports what happened. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends one request over and over through the pool, with N in flight, for a while, and reports "
                + "requests, failures by kind, throughput, latency percentiles, requests per node and the pool's "
                + "final statistics and health.",
                "The token is read from an environment variable (--token-env, default VAULT_TOKEN); it is never "
                        + "taken from the command line and never printed.",
                "Exit code 0 when the run completed, failed requests included."})
final class LoadCommand implements Callable<Integer> {

    /** The methods the command sends. */
    enum Method { GET, LIST, HEAD, POST, PUT, PATCH, DELETE }

    static final String DEFAULT_TOKEN_ENV = "VAULT_TOKEN";

    private final Function<String, String> env;

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "URL[,URL...]",
            description = "Base URLs of the nodes, comma-separated: https://vault-1:8200,https://vault-2:8200 "
                    + "(default: $VAULT_ADDR)")
    String nodes;

    @Option(names = "--path", required = true, paramLabel = "PATH",
            description = "The API path, with an optional query, e.g. /v1/secret/data/app")
    String path;

    @Option(names = "--method", defaultValue = "GET", paramLabel = "METHOD",
            description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Method method;

    @Option(names = "--body", paramLabel = "JSON",
            description = "The request body, a JSON value; @FILE reads it from a file.")
    String body;

    @Option(names = "--concurrency", defaultValue = "16", paramLabel = "N",
            description = "Requests in flight at once, 1-10000 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--duration", defaultValue = "20s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to send requests, e.g. 20s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--requests", defaultValue = "0", paramLabel = "N",
            description = "Stop after this many requests (default: 0, no limit: --duration decides).")
    long maxRequests;

    @Option(names = "--token-env", defaultValue = DEFAULT_TOKEN_ENV, paramLabel = "VAR",
            description = "The environment variable holding the Vault token (default: ${DEFAULT-VALUE}; "
                    + "when that one is unset, requests carry no token).")
    String tokenEnv;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Mixin
    PoolOptions poolOptions;

    @Mixin
    VaultOptions vaultOptions;

    LoadCommand(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        VaultxPoolCli.requireRange(spec, "--concurrency", concurrency, 1, 10_000);
        if (duration.isZero() || duration.isNegative() || duration.compareTo(Duration.ofDays(1)) > 0) {
            throw VaultxPoolCli.invalid(spec, "--duration", DurationConverter.format(duration), "a positive duration up to 24h");
        }
        if (maxRequests < 0) {
            throw VaultxPoolCli.invalid(spec, "--requests", maxRequests, ">= 0, 0 for no limit");
        }
        PoolConfig config = vaultOptions.config(spec, "load", nodes, env, poolOptions::apply);
        String token = token();
        VaultRequest request = request(token);

        PrintWriter err = spec.commandLine().getErr();
        Outcomes outcomes = new Outcomes(config.nodes());
        long elapsedNanos;
        boolean drained;
        PoolStats stats;
        PoolHealth health;
        try (AsyncHttpConnectionPool pool = AsyncHttpConnectionPool.start(config)) {
            PoolHealth ready = pool.awaitReady(Duration.ofSeconds(5));
            if (!quiet) {
                err.printf("load: %s %s on %d node(s), %d in flight, for %s%s; pool %s, active node %s%n", method, path,
                        config.nodes().size(), concurrency, DurationConverter.format(duration),
                        maxRequests > 0 ? " or " + maxRequests + " requests" : "", ready.status(),
                        ready.activeNode() == null ? "none" : ready.activeNode());
                err.flush();
            }
            LoadDriver driver = new LoadDriver(pool, request, concurrency, maxRequests, outcomes, null);
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            driver.start();
            long lastCount = 0;
            long lastTick = start;
            while (!driver.done()) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                Thread.sleep(Math.max(1, Math.min(1000, (deadline - now) / 1_000_000)));
                now = System.nanoTime();
                if (!quiet && now - lastTick >= 990_000_000L && now < deadline) {
                    long count = outcomes.requests();
                    err.printf("load: %3ds  %d requests, %d failed, %.0f req/s%n", Math.round((now - start) / 1e9), count,
                            outcomes.failed(), (count - lastCount) / ((now - lastTick) / 1e9));
                    err.flush();
                    lastCount = count;
                    lastTick = now;
                }
            }
            driver.stop();
            drained = driver.awaitInFlight(config.requestTimeout().plusSeconds(5));
            elapsedNanos = System.nanoTime() - start;
            stats = pool.stats();
            health = pool.health();
        }
        PrintWriter out = spec.commandLine().getOut();
        Report report = new Report(config, outcomes, elapsedNanos, drained, token != null, stats, health);
        if (json) {
            out.println(report.json());
        } else {
            report.print(out);
        }
        out.flush();
        return 0;
    }

    /** @return the token from the environment variable, or {@code null} when the default variable is unset */
    private String token() {
        boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--token-env");
        if (tokenEnv == null || tokenEnv.isBlank() || tokenEnv.contains("=")) {
            throw VaultxPoolCli.invalid(spec, "--token-env", "'" + tokenEnv + "'", "the name of an environment variable");
        }
        String value = env.apply(tokenEnv);
        if (value == null || value.isBlank()) {
            if (explicit) {
                throw VaultxPoolCli.invalid(spec, "--token-env", tokenEnv,
                        "an environment variable that is set; " + tokenEnv + " is unset or empty");
            }
            return null;
        }
        return value.trim();
    }

    private VaultRequest request(String token) {
        VaultRequest.Builder b;
        try {
            b = VaultRequest.builder(method.name(), path);
        } catch (IllegalArgumentException e) {
            throw VaultxPoolCli.invalid(spec, "--path", "'" + path + "'", "a path starting with /, such as /v1/secret/data/app, "
                    + "without spaces or control characters");
        }
        if (body != null) {
            String text = body;
            if (text.startsWith("@")) {
                try {
                    text = Files.readString(Path.of(text.substring(1)), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    throw VaultxPoolCli.invalid(spec, "--body", body, "JSON, or @FILE naming a readable file ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
            String problem = Json.checkOneValue(text);
            if (problem != null) {
                throw VaultxPoolCli.invalid(spec, "--body", body.startsWith("@") ? body : "<" + text.length() + " characters>",
                        "one JSON value; it is " + problem);
            }
            b.body(text).header("Content-Type", "application/json");
        }
        try {
            b.token(token);
        } catch (IllegalArgumentException e) {
            throw VaultxPoolCli.invalid(spec, "--token-env", tokenEnv,
                    "a variable holding a token of printable ASCII without spaces");
        }
        return b.build();
    }

    /** The result of a run, as text or JSON. */
    private final class Report {
        final PoolConfig config;
        final Outcomes o;
        final long elapsedNanos;
        final boolean drained;
        final boolean tokenSent;
        final PoolStats stats;
        final PoolHealth health;
        final LatencyRecorder.Snapshot latency;

        Report(PoolConfig config, Outcomes o, long elapsedNanos, boolean drained, boolean tokenSent, PoolStats stats,
               PoolHealth health) {
            this.config = config;
            this.o = o;
            this.elapsedNanos = elapsedNanos;
            this.drained = drained;
            this.tokenSent = tokenSent;
            this.stats = stats;
            this.health = health;
            this.latency = o.latencies().snapshot();
        }

        double throughput() {
            return elapsedNanos <= 0 ? 0 : o.requests() / (elapsedNanos / 1e9);
        }

        String json() {
            return Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("method", method.name());
                g.writeStringField("path", path);
                g.writeArrayFieldStart("nodes");
                for (var n : config.nodes()) {
                    g.writeString(n.toString());
                }
                g.writeEndArray();
                g.writeNumberField("concurrency", concurrency);
                Json.durationMs(g, "durationMs", duration);
                Json.millis(g, "elapsedMs", elapsedNanos / 1e6);
                g.writeStringField("tokenEnv", tokenEnv);
                g.writeBooleanField("tokenSent", tokenSent);
                g.writeNumberField("requests", o.requests());
                g.writeNumberField("succeeded", o.succeeded());
                g.writeNumberField("failed", o.failed());
                g.writeObjectFieldStart("failuresByKind");
                for (Map.Entry<String, Long> e : o.failuresByKind().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeObjectFieldStart("statusCodes");
                for (Map.Entry<Integer, Long> e : o.statusCodes().entrySet()) {
                    g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
                }
                g.writeEndObject();
                g.writeNumberField("throughputPerSec", Math.round(throughput() * 10) / 10.0);
                g.writeNumberField("connectionsOpened", DemoCommand.connectionsOpened(stats));
                g.writeObjectFieldStart("latencyMs");
                Json.millis(g, "min", latency.minMs());
                Json.millis(g, "mean", latency.meanMs());
                Json.millis(g, "p50", latency.percentileMs(50));
                Json.millis(g, "p90", latency.percentileMs(90));
                Json.millis(g, "p99", latency.percentileMs(99));
                Json.millis(g, "max", latency.maxMs());
                g.writeEndObject();
                g.writeObjectFieldStart("perNode");
                for (Map.Entry<String, Long> e : o.perNode().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeBooleanField("allFinished", drained);
                Json.stats(g, "stats", stats);
                Json.health(g, "health", health);
                g.writeEndObject();
            });
        }

        void print(PrintWriter out) {
            out.printf("load: %s %s, %d in flight, %.1f s%s%n", method, path, concurrency, elapsedNanos / 1e9,
                    tokenSent ? ", token from " + tokenEnv : ", no token (" + tokenEnv + " is not set)");
            out.printf("requests     %d%n", o.requests());
            out.printf("succeeded    %d%n", o.succeeded());
            Map<String, Long> kinds = o.failuresByKind();
            out.printf("failed       %d%s%n", o.failed(), kinds.isEmpty() ? ""
                    : "  (" + kinds.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining(", ")) + ")");
            out.printf("status codes %s%n", o.statusCodes().isEmpty() ? "-" : o.statusCodes().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
            out.printf("throughput   %.1f req/s%n", throughput());
            out.printf("latency ms   p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (mean %.2f)%n", latency.percentileMs(50),
                    latency.percentileMs(90), latency.percentileMs(99), latency.maxMs(), latency.meanMs());
            if (!drained) {
                out.println("note: some requests were still in flight when the report was made");
            }
            out.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NODE", "ANSWERED", "ROLE", "BREAKER", "TRIES", "FAILED_TRIES", "CONNECTIONS",
                    "OPENED", "LAST_ERROR"});
            Map<String, Long> perNode = o.perNode();
            for (int i = 0; i < stats.nodes().size(); i++) {
                NodeStats n = stats.nodes().get(i);
                NodeHealth h = health.nodes().get(i);
                rows.add(new String[] {n.node().toString(), String.valueOf(perNode.getOrDefault(n.node().toString(), 0L)),
                        h.role().name(), h.circuitState().name(), String.valueOf(n.totalRequests()),
                        String.valueOf(n.failedRequests()),
                        n.totalConnections() + " (" + n.activeConnections() + " active)",
                        String.valueOf(n.connectionsOpened()), h.lastError() == null ? "-" : h.lastError()});
            }
            Table.print(out, rows);
            out.println();
            out.printf("pool stats   total=%d active=%d idle=%d pending=%d totalRequests=%d failedRequests=%d "
                            + "size=%d maxOverflow=%d connectionsOpened=%d%n", stats.totalConnections(),
                    stats.activeConnections(), stats.idleConnections(), stats.pendingRequests(), stats.totalRequests(),
                    stats.failedRequests(), stats.size(), stats.maxOverflow(), DemoCommand.connectionsOpened(stats));
            out.printf("pool health  %s, active node %s%n", health.status(),
                    health.activeNode() == null ? "none" : health.activeNode());
        }
    }
}
