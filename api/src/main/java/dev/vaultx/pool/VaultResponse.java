package dev.vaultx.pool;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response from a Vault node: status, headers and the whole body.
 *
 * <p>Any status the server sends is a response, 4xx and 5xx included (Vault's body is then
 * {@code {"errors":[...]}}); failures to get a response are exceptions. This class is immutable
 * and thread-safe.
 */
public final class VaultResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final URI node;

    /**
     * @param status the HTTP status
     * @param headers the headers; names are matched case-insensitively
     * @param body the body bytes, not copied
     * @param node the node that answered
     */
    public VaultResponse(int status, Map<String, List<String>> headers, byte[] body, URI node) {
        this.status = status;
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.body = body;
        this.node = node;
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return {@code true} for 2xx */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** @return all headers; names case-insensitive */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** @return the first value of a header, case-insensitive name */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
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
