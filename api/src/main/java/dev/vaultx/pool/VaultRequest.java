package dev.vaultx.pool;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to the Vault HTTP API, immutable.
 *
 * <pre>{@code
 * VaultRequest read = VaultRequest.get("/v1/secret/data/app").token(token).build();
 * VaultRequest write = VaultRequest.builder("POST", "/v1/secret/data/app")
 *         .token(token).body("{\"data\":{\"k\":\"v\"}}").build();
 * }</pre>
 *
 * <p>The token is sent as {@code X-Vault-Token} and never appears in {@link #toString()}. Reads
 * ({@code GET}, {@code HEAD}, {@code LIST}) may be retried on another node; writes only when the
 * request provably never reached a server, unless marked {@link Builder#idempotent(boolean) idempotent}.
 *
 * <p>Header names are case-insensitive: a header set twice under names that differ only in case keeps
 * the last value (and spelling). The pool frames every message itself, so {@link Builder#build()}
 * refuses the framing and hop-by-hop headers ({@code Content-Length}, {@code Transfer-Encoding},
 * {@code Connection}, {@code Keep-Alive}, {@code Upgrade}, {@code TE}, {@code Trailer}, {@code Host},
 * {@code Proxy-Connection}) that a service forwarding its incoming headers would otherwise pass on.
 * The body is copied when the request is built: changing the array given to the builder later changes
 * neither this request nor any of its retries.
 *
 * <p>This class is immutable and thread-safe; its builder is not thread-safe.
 */
public final class VaultRequest {

    private static final byte[] NO_BODY = new byte[0];

    /** Headers the HTTP layer sets or that apply to one connection hop only; refused by {@link Builder#build()}. */
    private static final String[] FRAMING_HEADERS = {"Content-Length", "Transfer-Encoding", "Connection",
        "Keep-Alive", "Upgrade", "TE", "Trailer", "Host", "Proxy-Connection"};

    private final String method;
    private final String path;
    private final byte[] body;
    private final Map<String, String> headers;
    private final String token;
    private final String namespace;
    private final boolean idempotent;
    private final Duration timeout;

    private VaultRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.body = b.body.length == 0 ? NO_BODY : b.body.clone();
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.token = b.token;
        this.namespace = b.namespace;
        this.idempotent = b.idempotent;
        this.timeout = b.timeout;
    }

    /** @return a builder for {@code GET path} */
    public static Builder get(String path) {
        return builder("GET", path);
    }

    /**
     * @param method an HTTP method, e.g. {@code GET}, {@code POST}, {@code LIST}; case-insensitive
     * @param path the path, starting with {@code /}, optionally with a query, e.g. {@code /v1/secret/data/app?version=2}
     * @return a new builder
     * @throws IllegalArgumentException if the method or path is malformed
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** @return the upper-case HTTP method */
    public String method() {
        return method;
    }

    /** @return the path with its query, starting with {@code /} */
    public String path() {
        return path;
    }

    /** @return a copy of the body bytes (empty when none); changing it does not change this request */
    public byte[] body() {
        return body.length == 0 ? NO_BODY : body.clone();
    }

    /**
     * @return the body as a new read-only buffer over this request's bytes (no copy), positioned at 0
     * @since 0.2.0
     */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /**
     * @return the body's length in bytes, 0 when none
     * @since 0.2.0
     */
    public int bodyLength() {
        return body.length;
    }

    /** @return extra headers, never {@code X-Vault-Token} (see {@link #token()}) */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the Vault token, if any; never logged */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** @return the namespace sent as {@code X-Vault-Namespace}, if any (else the pool's default) */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** @return {@code true} if the request may be retried on another node even after it was sent */
    public boolean isIdempotent() {
        return idempotent || isRead();
    }

    /** @return {@code true} for {@code GET}, {@code HEAD} and {@code LIST} */
    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD") || method.equals("LIST");
    }

    /** @return the overall deadline of this request, if set (else the pool's {@code requestTimeout}) */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return a builder holding this request's values */
    public Builder toBuilder() {
        Builder b = new Builder(method, path).body(body).idempotent(idempotent);
        b.headers.putAll(headers);
        b.token = token;
        b.namespace = namespace;
        b.timeout = timeout;
        return b;
    }

    /** Method, path, body length and header names; never the token or header values. */
    @Override
    public String toString() {
        return "VaultRequest{" + method + " " + path + ", body=" + body.length + " bytes, headers=" + headers.keySet()
                + (token != null ? ", token=<redacted>" : "") + (namespace != null ? ", namespace=" + namespace : "") + "}";
    }

    /** Builds a {@link VaultRequest}. This class is not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private byte[] body = NO_BODY;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String token;
        private String namespace;
        private boolean idempotent;
        private Duration timeout;

        // plain loops, not String.chars() streams: a request is built per call, often on a hot path

        private static boolean allIn(String s, char from, char to) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < from || c > to) {
                    return false;
                }
            }
            return true;
        }

        /** @return whether {@code s} has a space, a control character, or (if {@code nonAscii}) any char above 0x7e */
        private static boolean hasControlOrSpace(String s, boolean nonAscii) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c == 0x7f || (nonAscii && c > 0x7f)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isToken(String name) {
            return !name.isEmpty() && !hasControlOrSpace(name, true) && name.indexOf(':') < 0;
        }

        private static boolean breaksHeader(String value) {
            return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf(0) >= 0;
        }

        /** Compares without allocating: a request is built per call. */
        private static boolean isFraming(String name) {
            for (String f : FRAMING_HEADERS) {
                if (f.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }

        private Builder(String method, String path) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            String m = method.trim().toUpperCase(Locale.ROOT);
            if (m.isEmpty() || !allIn(m, 'A', 'Z')) {
                throw new IllegalArgumentException("method: " + method + " (expected: an HTTP method such as GET, POST, LIST)");
            }
            if (!path.startsWith("/") || hasControlOrSpace(path, false)) {
                throw new IllegalArgumentException("path: " + path + " (expected: starting with /, no spaces or control characters)");
            }
            this.method = m;
            this.path = path;
        }

        /** @param body the body bytes; {@code null} means none. {@link #build()} copies the array. */
        public Builder body(byte[] body) {
            this.body = body == null ? NO_BODY : body;
            return this;
        }

        /** @param json a body as UTF-8 text */
        public Builder body(String json) {
            return body(json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /**
         * Sets a header. Names are case-insensitive: a header of the same name set before, in any case, is
         * replaced. {@code X-Vault-Token} is routed to {@link #token(String)}, {@code X-Vault-Namespace}
         * to {@link #namespace(String)}. Framing and hop-by-hop headers are refused by {@link #build()}.
         *
         * @throws IllegalArgumentException on a name or value with control characters
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (!isToken(name)) {
                throw new IllegalArgumentException("header name: " + name + " (expected: an HTTP token)");
            }
            if (breaksHeader(value)) {
                // the value is not echoed: it might be a secret
                throw new IllegalArgumentException("header " + name + ": <value> (expected: no CR, LF or NUL)");
            }
            if (name.equalsIgnoreCase("X-Vault-Token")) {
                return token(value);
            }
            if (name.equalsIgnoreCase("X-Vault-Namespace")) {
                return namespace(value);
            }
            headers.keySet().removeIf(name::equalsIgnoreCase);
            headers.put(name, value);
            return this;
        }

        /** @param headers headers to add, see {@link #header(String, String)}; {@code null} adds none */
        public Builder headers(Map<String, String> headers) {
            if (headers != null) {
                headers.forEach(this::header);
            }
            return this;
        }

        /** @param token the Vault token, sent as {@code X-Vault-Token}; {@code null} for none */
        public Builder token(String token) {
            if (token != null && hasControlOrSpace(token, true)) {
                throw new IllegalArgumentException("token: <redacted> (expected: printable ASCII without spaces)");
            }
            this.token = token;
            return this;
        }

        /**
         * @param namespace the Enterprise namespace, sent as {@code X-Vault-Namespace}; {@code null} for the pool default
         * @throws IllegalArgumentException on a value with CR, LF or NUL, as for any header value
         */
        public Builder namespace(String namespace) {
            if (namespace != null && breaksHeader(namespace)) {
                throw new IllegalArgumentException("namespace: <value> (expected: no CR, LF or NUL)");
            }
            this.namespace = namespace;
            return this;
        }

        /** @param idempotent whether a write may be re-sent to another node after a failure. Default {@code false}. */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /** @param timeout the overall deadline for this request, retries included; positive */
        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * @return the request, with its own copy of the body
         * @throws IllegalArgumentException if a framing or hop-by-hop header was set (the message names it)
         */
        public VaultRequest build() {
            for (String name : headers.keySet()) {
                if (isFraming(name)) {
                    throw new IllegalArgumentException("header " + name + ": refused (expected: no framing or hop-by-hop"
                            + " header; the pool sets Content-Length, Transfer-Encoding, Connection and Host itself)");
                }
            }
            return new VaultRequest(this);
        }
    }
}
