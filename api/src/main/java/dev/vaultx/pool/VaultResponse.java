package dev.vaultx.pool;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A response from a Vault node: status, headers and the whole body.
 *
 * <p>Any status the server sends is a response, 4xx and 5xx included (Vault's body is then
 * {@code {"errors":[...]}}); failures to get a response are exceptions. This class is immutable
 * and thread-safe.
 */
public final class VaultResponse {

    private static final String[] NO_HEADERS = new String[0];

    private final int status;
    private final byte[] body;
    private final URI node;
    /** Where the header list comes from when first needed; {@code null} when it was given at construction. */
    private final Supplier<String[]> headerSource;
    /** Header names and values, alternating, in the order received; {@code null} until first needed. */
    private volatile String[] headerPairs;
    /** {@link #headers()}, built on first use: most callers read a header or two, or none. */
    private volatile Map<String, List<String>> headerMap;

    /**
     * @param status the HTTP status
     * @param headers the headers; names are matched case-insensitively
     * @param body the body bytes, not copied
     * @param node the node that answered
     * @throws NullPointerException if {@code headers}, {@code body}, a header name or a value is {@code null}
     */
    public VaultResponse(int status, Map<String, List<String>> headers, byte[] body, URI node) {
        this(status, pairsOf(headers), null, body, node);
    }

    private VaultResponse(int status, String[] headerPairs, Supplier<String[]> headerSource, byte[] body, URI node) {
        this.status = status;
        this.headerPairs = headerPairs;
        this.headerSource = headerSource;
        this.body = Objects.requireNonNull(body, "body");
        this.node = node;
    }

    /**
     * A response whose headers are given as names and values, alternating, in the order received (what a
     * transport has at hand, without building a map per response).
     *
     * @param status the HTTP status
     * @param namesAndValues {@code name1, value1, name2, value2, ...}; copied
     * @param body the body bytes, not copied
     * @param node the node that answered
     * @return the response
     * @throws IllegalArgumentException if {@code namesAndValues} has an odd length or a {@code null} element
     */
    public static VaultResponse ofHeaderPairs(int status, String[] namesAndValues, byte[] body, URI node) {
        String[] pairs = namesAndValues.length == 0 ? NO_HEADERS : namesAndValues.clone();
        String problem = problemOf(pairs);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new VaultResponse(status, pairs, null, body, node);
    }

    /**
     * A response whose header list is produced only if a header is asked for: a transport that holds the
     * received header lines unparsed saves turning them into strings for the many responses whose headers
     * nobody reads.
     *
     * @param status the HTTP status
     * @param namesAndValues produces {@code name1, value1, name2, value2, ...}, a new array each call (not
     *                       copied); it may be called more than once, concurrently, and must then give equal
     *                       lists
     * @param body the body bytes, not copied
     * @param node the node that answered
     * @return the response; its header methods throw {@link IllegalStateException} if the list produced has an
     *         odd length or a {@code null} element
     */
    public static VaultResponse ofLazyHeaderPairs(int status, Supplier<String[]> namesAndValues, byte[] body, URI node) {
        return new VaultResponse(status, null, Objects.requireNonNull(namesAndValues, "namesAndValues"), body, node);
    }

    private static String problemOf(String[] pairs) {
        if (pairs.length % 2 != 0) {
            return "namesAndValues: " + pairs.length + " elements (expected: an even number, names and values alternating)";
        }
        for (String s : pairs) {
            if (s == null) {
                return "namesAndValues: null element (expected: names and values, none null)";
            }
        }
        return null;
    }

    private String[] pairs() {
        String[] p = headerPairs;
        if (p == null) {
            p = headerSource.get();
            String problem = problemOf(p);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            headerPairs = p;
        }
        return p;
    }

    private static String[] pairsOf(Map<String, List<String>> headers) {
        List<String> pairs = new ArrayList<>();
        headers.forEach((name, values) -> {
            for (String v : values) {
                pairs.add(Objects.requireNonNull(name, "header name"));
                pairs.add(Objects.requireNonNull(v, "header value"));
            }
        });
        return pairs.toArray(NO_HEADERS);
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return {@code true} for 2xx */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** @return all headers, unmodifiable; names case-insensitive, values in the order received */
    public Map<String, List<String>> headers() {
        Map<String, List<String>> m = headerMap;
        if (m == null) {
            String[] p = pairs();
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < p.length; i += 2) {
                h.computeIfAbsent(p[i], k -> new ArrayList<>(1)).add(p[i + 1]);
            }
            h.replaceAll((k, v) -> List.copyOf(v));
            m = Collections.unmodifiableMap(h);
            headerMap = m;
        }
        return m;
    }

    /** @return the first value of a header, case-insensitive name */
    public Optional<String> header(String name) {
        String[] p = pairs();
        for (int i = 0; i < p.length; i += 2) {
            if (p[i].equalsIgnoreCase(name)) {
                return Optional.of(p[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** @return the body bytes (empty when none); do not modify */
    public byte[] body() {
        return body;
    }

    /** @return the body as UTF-8 text */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the base URI of the node that answered */
    public URI node() {
        return node;
    }

    @Override
    public String toString() {
        return "VaultResponse{status=" + status + ", node=" + node + ", body=" + body.length + " bytes}";
    }
}
