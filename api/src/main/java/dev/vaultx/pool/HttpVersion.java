package dev.vaultx.pool;

/**
 * The HTTP version the pool speaks to its nodes ({@link PoolConfig#httpVersion()}).
 */
public enum HttpVersion {
    /**
     * HTTP/1.1 only, the default. Over TLS, ALPN offers {@code http/1.1} alone, so a node that supports
     * HTTP/2 (Vault does) still answers in HTTP/1.1.
     */
    HTTP_1_1,
    /**
     * HTTP/2 where the node agrees: over TLS, ALPN offers {@code h2} and {@code http/1.1} and the node
     * picks; a node without HTTP/2 is spoken to in HTTP/1.1. Needs https nodes (cleartext {@code h2c} is
     * not supported). Each pooled connection still carries one request at a time, so {@code size} and
     * {@code maxOverflow} keep their meaning (connections per node); HTTP/2 brings header compression and
     * a binary framing, not multiplexing.
     */
    HTTP_2
}
