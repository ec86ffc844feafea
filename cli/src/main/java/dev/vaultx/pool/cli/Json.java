package dev.vaultx.pool.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vaultx.pool.NodeHealth;
import dev.vaultx.pool.NodeStats;
import dev.vaultx.pool.PoolHealth;
import dev.vaultx.pool.PoolStats;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;

/** JSON output with Jackson's streaming generator (jackson-core only, no databind). */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    private Json() {
    }

    /** Writes one JSON document to a string. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** @return the document written by {@code body}, pretty-printed, without a trailing newline */
    static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Checks that a text is exactly one JSON value.
     *
     * @return {@code null} if it is, else a short reason (never quoting the input)
     */
    static String checkOneValue(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return "empty";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "more than one JSON value";
            }
            return null;
        } catch (IOException e) {
            return "not valid JSON (line " + lineOf(e) + ")";
        }
    }

    private static int lineOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return j.getLocation().getLineNr();
        }
        return 0;
    }

    static void millis(JsonGenerator g, String field, double ms) throws IOException {
        g.writeNumberField(field, Math.round(ms * 1000) / 1000.0);
    }

    static void stringOrNull(JsonGenerator g, String field, Object value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value.toString());
        }
    }

    static void durationMs(JsonGenerator g, String field, Duration d) throws IOException {
        if (d == null) {
            g.writeNullField(field);
        } else {
            millis(g, field, d.toNanos() / 1e6);
        }
    }

    /** Writes {@code field: {stats}}. */
    static void stats(JsonGenerator g, String field, PoolStats s) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("poolName", s.poolName());
        g.writeNumberField("totalConnections", s.totalConnections());
        g.writeNumberField("activeConnections", s.activeConnections());
        g.writeNumberField("idleConnections", s.idleConnections());
        g.writeNumberField("pendingRequests", s.pendingRequests());
        g.writeNumberField("totalRequests", s.totalRequests());
        g.writeNumberField("failedRequests", s.failedRequests());
        g.writeNumberField("size", s.size());
        g.writeNumberField("maxOverflow", s.maxOverflow());
        g.writeArrayFieldStart("nodes");
        for (NodeStats n : s.nodes()) {
            g.writeStartObject();
            g.writeStringField("node", n.node().toString());
            g.writeNumberField("totalConnections", n.totalConnections());
            g.writeNumberField("activeConnections", n.activeConnections());
            g.writeNumberField("idleConnections", n.idleConnections());
            g.writeNumberField("pendingRequests", n.pendingRequests());
            g.writeNumberField("inFlightRequests", n.inFlightRequests());
            g.writeNumberField("maxConnections", n.maxConnections());
            g.writeNumberField("totalRequests", n.totalRequests());
            g.writeNumberField("failedRequests", n.failedRequests());
            g.writeNumberField("connectionsOpened", n.connectionsOpened());
            g.writeNumberField("connectionsClosed", n.connectionsClosed());
            g.writeBooleanField("draining", n.draining());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Writes {@code field: {health}}. */
    static void health(JsonGenerator g, String field, PoolHealth h) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("poolName", h.poolName());
        g.writeStringField("status", h.status().name());
        stringOrNull(g, "activeNode", h.activeNode());
        g.writeArrayFieldStart("nodes");
        for (NodeHealth n : h.nodes()) {
            g.writeStartObject();
            g.writeStringField("node", n.node().toString());
            g.writeStringField("role", n.role().name());
            g.writeStringField("circuitState", n.circuitState().name());
            stringOrNull(g, "lastCheck", n.lastCheck());
            durationMs(g, "lastLatencyMs", n.lastLatency());
            g.writeNumberField("consecutiveFailures", n.consecutiveFailures());
            stringOrNull(g, "lastError", n.lastError());
            stringOrNull(g, "clusterId", n.clusterId());
            stringOrNull(g, "version", n.version());
            g.writeBooleanField("draining", n.draining());
            g.writeBooleanField("usable", n.usable());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
