package dev.vaultx.pool.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request received by a {@link SimulatedVaultNode}, as recorded in its journal.
 *
 * <p>This class is immutable and thread-safe. Header names are case-insensitive.
 */
public final class RecordedRequest {

    private final String method;
    private final String pathAndQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Instant time;
    private final String protocol;

    /**
     * Creates a recorded request received over HTTP/1.1.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param pathAndQuery the raw path and query, e.g. {@code /v1/sys/health?standbyok=true}
     * @param headers the request headers (copied; keys become case-insensitive)
     * @param body the request body (copied; {@code null} means empty)
     * @param time when the node received the request
     */
    public RecordedRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body,
                           Instant time) {
        this(method, pathAndQuery, headers, body, time, "HTTP/1.1");
    }

    /**
     * Creates a recorded request.
     *
     * @param method the HTTP method, e.g. {@code GET}
     * @param pathAndQuery the raw path and query, e.g. {@code /v1/sys/health?standbyok=true}
     * @param headers the request headers (copied; keys become case-insensitive)
     * @param body the request body (copied; {@code null} means empty)
     * @param time when the node received the request
     * @param protocol the protocol it came in, {@code HTTP/1.1} or {@code HTTP/2.0}
     */
    public RecordedRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body,
                           Instant time, String protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.method = Objects.requireNonNull(method, "method");
        this.pathAndQuery = Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        copy.replaceAll((k, v) -> List.copyOf(v));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body == null ? new byte[0] : body.clone();
        this.time = Objects.requireNonNull(time, "time");
    }

    /** @return the HTTP method, upper case */
    public String method() {
        return method;
    }

    /** @return the raw path and query as sent, e.g. {@code /v1/secret/data/app?version=1} */
    public String pathAndQuery() {
        return pathAndQuery;
    }

    /** @return the path without the query, e.g. {@code /v1/secret/data/app} */
    public String path() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** @return the raw query without {@code ?}, or {@code ""} when there is none */
    public String query() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? "" : pathAndQuery.substring(q + 1);
    }

    /** @return all headers, unmodifiable, with case-insensitive names */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or empty when the header was not sent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return a copy of the body bytes (empty when there was no body) */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body decoded as UTF-8 */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return when the node received the request */
    public Instant time() {
        return time;
    }

    /** @return the protocol the request came in: {@code HTTP/1.1}, or {@code HTTP/2.0} when HTTP/2 was negotiated */
    public String protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return method + " " + pathAndQuery + " @" + time;
    }
}
