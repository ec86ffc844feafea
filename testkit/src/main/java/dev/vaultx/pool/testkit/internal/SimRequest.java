package dev.vaultx.pool.testkit.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incoming HTTP request as the simulation sees it, independent of WireMock. Immutable.
 *
 * @param method the upper-case method, e.g. {@code GET} or {@code LIST}
 * @param path the raw path, e.g. {@code /v1/secret/data/app}
 * @param rawQuery the raw query string without {@code ?}, or {@code ""}
 * @param query decoded query parameters, in order, each with all its values
 * @param headers request headers, case-insensitive keys
 * @param body the request body, never {@code null}
 */
public record SimRequest(String method, String path, String rawQuery, Map<String, List<String>> query,
                         Map<String, List<String>> headers, byte[] body) {

    /**
     * Builds a request from its parts.
     *
     * @param method the method
     * @param url the path and optional query, e.g. {@code /v1/sys/health?standbyok=true}
     * @param headers the headers (any key case)
     * @param body the body, or {@code null} for none
     * @return the request
     */
    public static SimRequest of(String method, String url, Map<String, List<String>> headers, byte[] body) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String rawQuery = q < 0 ? "" : url.substring(q + 1);
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return new SimRequest(method.toUpperCase(Locale.ROOT), path, rawQuery, parseQuery(rawQuery),
                Collections.unmodifiableMap(h), body == null ? new byte[0] : body);
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /**
     * The path and query as sent, e.g. {@code /v1/secret/data/a?version=2}.
     *
     * @return path plus {@code ?query} when there is one
     */
    public String pathAndQuery() {
        return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or {@code null} when absent
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter name
     * @return the value ({@code ""} for {@code ?name}), or {@code null} when absent
     */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The Vault-relative path: the path without the {@code /v1/} prefix and surrounding slashes.
     *
     * @return e.g. {@code secret/data/app}
     */
    public String vaultPath() {
        String p = path.startsWith("/v1/") ? path.substring(4) : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * Whether the method only reads (GET, HEAD, LIST, OPTIONS).
     *
     * @return {@code true} for read methods
     */
    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD") || method.equals("LIST") || method.equals("OPTIONS");
    }

    /**
     * The client token: {@code X-Vault-Token}, else {@code Authorization: Bearer ...}.
     *
     * @return the token, or {@code null} when none is sent
     */
    public String token() {
        String token = header("X-Vault-Token");
        if (token != null && !token.isEmpty()) {
            return token;
        }
        String auth = header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.length() > 7) {
            return auth.substring(7).trim();
        }
        return null;
    }
}
