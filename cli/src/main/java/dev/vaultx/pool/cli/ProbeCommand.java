package dev.vaultx.pool.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.PoolConfig;
import dev.vaultx.pool.impl.internal.health.HealthProbeResult;
import dev.vaultx.pool.impl.internal.health.HealthResponseParser;
import dev.vaultx.pool.impl.internal.tls.PoolTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Probes each node of a real cluster once, without a token: {@code GET /v1/sys/health?<overrides>}
 * as the pool does, classified by the pool's own parser.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Asks each node of a Vault / OpenBao cluster for its health (GET /v1/sys/health, no token) "
                + "and shows its role, version, cluster_id, sealed state and probe latency.",
                "Each node is probed twice: LATENCY is the second probe, on the open connection (as the pool's warm "
                        + "connections see it); the first, with the connection set-up, is connectLatencyMs in --json.",
                "A node that does not answer is shown as UNREACHABLE with the error. Exit code 0 once every node "
                        + "was probed, whatever it answered."})
final class ProbeCommand implements Callable<Integer> {

    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

    @Spec
    CommandSpec spec;

    private final Function<String, String> env;

    @Option(names = "--nodes", paramLabel = "URL[,URL...]",
            description = "Base URLs of the nodes, comma-separated: https://vault-1:8200,https://vault-2:8200 "
                    + "(default: $VAULT_ADDR)")
    String nodes;

    @Mixin
    VaultOptions vaultOptions;

    @Option(names = "--timeout", defaultValue = "2s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long each probe may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    /**
     * What the probes of one node found.
     *
     * @param latencyMs the round trip of the last probe
     * @param firstLatencyMs the round trip of the first probe, connection set-up included, or {@code null}
     *                       when only one probe was made
     */
    record Row(URI url, NodeRole role, Boolean initialized, Boolean sealed, String version, String clusterId,
               String clusterName, Integer httpStatus, double latencyMs, Double firstLatencyMs, String error) {

        Row withFirstLatency(double ms) {
            return new Row(url, role, initialized, sealed, version, clusterId, clusterName, httpStatus, latencyMs, ms, error);
        }
    }

    ProbeCommand(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (timeout.isZero() || timeout.isNegative()) {
            throw VaultxPoolCli.invalid(spec, "--timeout", DurationConverter.format(timeout), "a positive duration");
        }
        PoolConfig config = vaultOptions.config(spec, "probe", nodes, env, b -> b);
        List<URI> uris = config.nodes();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if ("https".equals(uris.get(0).getScheme())) {
            // the pool's own TLS: trust (CA file, CA directory, truststore), client certificate, tlsServerName check
            builder.sslContext(PoolTls.create(config).sslContext());
            SSLParameters parameters = new SSLParameters();
            parameters.setProtocols(PoolTls.protocols().toArray(new String[0]));
            // SNI for nodes addressed by IP (the JDK client sets the URL's host name itself for named nodes)
            config.tlsServerName().ifPresent(n -> parameters.setServerNames(List.of(new SNIHostName(n))));
            builder.sslParameters(parameters);
        }
        HttpClient client = builder.build();
        List<CompletableFuture<Row>> probes = new ArrayList<>();
        for (URI u : uris) {
            probes.add(probe(client, u));
        }
        List<Row> rows = new ArrayList<>();
        for (CompletableFuture<Row> p : probes) {
            rows.add(p.join());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(rows));
        } else {
            printTable(out, rows);
        }
        out.flush();
        return 0;
    }

    /**
     * Probes a node twice: the first probe opens the connection (and warms up this JVM's HTTP client);
     * the second, on the open connection, gives the latency shown, as the pool's warm connections see it.
     * A node whose first probe fails is not probed again.
     */
    private CompletableFuture<Row> probe(HttpClient client, URI node) {
        return once(client, node).thenCompose(first -> first.role() == NodeRole.UNREACHABLE
                ? CompletableFuture.completedFuture(first)
                : once(client, node).thenApply(second -> second.withFirstLatency(first.latencyMs())));
    }

    private CompletableFuture<Row> once(HttpClient client, URI node) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/v1/sys/health?" + HealthResponseParser.QUERY))
                .timeout(timeout)
                .header("X-Vault-Request", "true")
                .GET()
                .build();
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApplyAsync(r -> read(node, r, start))
                .orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
                .exceptionally(e -> new Row(node, NodeRole.UNREACHABLE, null, null, null, null, null, null,
                        (System.nanoTime() - start) / 1e6, null, error(Outcomes.unwrap(e))));
    }

    private Row read(URI node, HttpResponse<InputStream> r, long start) {
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(HealthResponseParser.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            return new Row(node, NodeRole.UNREACHABLE, null, null, null, null, null, r.statusCode(),
                    (System.nanoTime() - start) / 1e6, null, error(e));
        }
        double latency = (System.nanoTime() - start) / 1e6;
        HealthProbeResult h = HealthResponseParser.parse(r.statusCode(), body);
        Boolean[] flags = flags(body);
        Boolean initialized = flags[0] != null ? flags[0] : initializedOf(h.role());
        Boolean sealed = flags[1] != null ? flags[1] : sealedOf(h.role());
        return new Row(node, h.role(), initialized, sealed, h.version(), h.clusterId(), h.clusterName(), r.statusCode(),
                latency, null, h.error());
    }

    /** @return {initialized, sealed} from the body's top level, each {@code null} when absent or unreadable */
    private static Boolean[] flags(byte[] body) {
        Boolean[] result = new Boolean[2];
        if (body.length == 0 || body.length > HealthResponseParser.MAX_BODY_BYTES) {
            return result;
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return result;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                Boolean b = t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                if ("initialized".equals(name)) {
                    result[0] = b;
                } else if ("sealed".equals(name)) {
                    result[1] = b;
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return new Boolean[2];
        }
        return result;
    }

    private static Boolean initializedOf(NodeRole role) {
        return switch (role) {
            case UNINITIALIZED -> Boolean.FALSE;
            case UNREACHABLE, UNKNOWN -> null;
            default -> Boolean.TRUE;
        };
    }

    private static Boolean sealedOf(NodeRole role) {
        return switch (role) {
            case SEALED, UNINITIALIZED -> Boolean.TRUE;
            case UNREACHABLE, UNKNOWN, REMOVED -> null;
            default -> Boolean.FALSE;
        };
    }

    private String error(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + DurationConverter.format(timeout);
        }
        if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
            return "no answer within " + DurationConverter.format(timeout);
        }
        Throwable t = e;
        while (t != null) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof SSLException) {
                return "TLS: " + t.getMessage();
            }
            if (t instanceof ConnectException) {
                return "connection refused" + (t.getMessage() == null || t.getMessage().isBlank() ? "" : " (" + t.getMessage() + ")");
            }
            t = t.getCause();
        }
        return VaultxPoolCli.describe(e) + " (" + e.getClass().getSimpleName() + ")";
    }

    private static Set<String> clusterIds(List<Row> rows) {
        Set<String> ids = new LinkedHashSet<>();
        for (Row r : rows) {
            if (r.clusterId() != null) {
                ids.add(r.clusterId());
            }
        }
        return ids;
    }

    private static String toJson(List<Row> rows) {
        Set<String> ids = clusterIds(rows);
        return Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("nodes");
            for (Row r : rows) {
                g.writeStartObject();
                g.writeStringField("url", r.url().toString());
                g.writeStringField("role", r.role().name());
                Json.stringOrNull(g, "clusterId", r.clusterId());
                Json.stringOrNull(g, "clusterName", r.clusterName());
                Json.stringOrNull(g, "version", r.version());
                if (r.initialized() == null) {
                    g.writeNullField("initialized");
                } else {
                    g.writeBooleanField("initialized", r.initialized());
                }
                if (r.sealed() == null) {
                    g.writeNullField("sealed");
                } else {
                    g.writeBooleanField("sealed", r.sealed());
                }
                if (r.httpStatus() == null) {
                    g.writeNullField("httpStatus");
                } else {
                    g.writeNumberField("httpStatus", r.httpStatus());
                }
                Json.millis(g, "latencyMs", r.latencyMs());
                if (r.firstLatencyMs() == null) {
                    g.writeNullField("connectLatencyMs");
                } else {
                    Json.millis(g, "connectLatencyMs", r.firstLatencyMs());
                }
                Json.stringOrNull(g, "error", r.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("activeNodes");
            for (Row r : rows) {
                if (r.role() == NodeRole.ACTIVE) {
                    g.writeString(r.url().toString());
                }
            }
            g.writeEndArray();
            g.writeNumberField("reachable", rows.stream().filter(r -> r.role() != NodeRole.UNREACHABLE).count());
            g.writeNumberField("total", rows.size());
            g.writeBooleanField("clusterIdConsistent", ids.size() <= 1);
            g.writeEndObject();
        });
    }

    private static void printTable(PrintWriter out, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NODE", "ROLE", "SEALED", "VERSION", "CLUSTER_ID", "LATENCY", "ERROR"});
        for (Row r : rows) {
            cells.add(new String[] {r.url().toString(), r.role().name(), r.sealed() == null ? "-" : r.sealed().toString(),
                    dash(r.version()), dash(r.clusterId()), String.format("%.1f ms", r.latencyMs()), dash(r.error())});
        }
        Table.print(out, cells);
        long reachable = rows.stream().filter(r -> r.role() != NodeRole.UNREACHABLE).count();
        List<String> active = rows.stream().filter(r -> r.role() == NodeRole.ACTIVE).map(r -> r.url().toString()).toList();
        Set<String> ids = clusterIds(rows);
        out.println();
        out.printf("%d of %d nodes answered; active node: %s%n", reachable, rows.size(),
                active.isEmpty() ? "none" : String.join(", ", active));
        if (ids.size() > 1) {
            out.println("WARNING: the nodes report different cluster_ids " + ids + ": they are not one cluster");
        }
        if (active.size() > 1) {
            out.println("WARNING: more than one node says it is active");
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
