package dev.vaultx.pool;

/** What kind of transport failure a {@link VaultTransportException} reports. */
public enum FailureKind {
    /** The node refused the connection (nothing listens on its port). Nothing was sent. */
    CONNECT_REFUSED(true),
    /** The connection could not be set up in time. Nothing was sent. */
    CONNECT_TIMEOUT(true),
    /** The node's host name does not resolve. Nothing was sent. */
    UNKNOWN_HOST(true),
    /** The TLS handshake failed (untrusted certificate, wrong host name, ...): a configuration error. */
    TLS(true),
    /** The connection was reset or closed while the request was under way. */
    CONNECTION_RESET(false),
    /** The node did not answer within the per-try timeout. */
    RESPONSE_TIMEOUT(false),
    /** The node answered something that is not valid HTTP. */
    PROTOCOL_ERROR(false),
    /** The response body was larger than {@code maxResponseBytes}. */
    RESPONSE_TOO_LARGE(false),
    /** Any other I/O failure. */
    IO(false),
    /**
     * The request itself could not be sent: the HTTP layer refused it before a byte reached the node (for
     * example a {@code TRACE} with a body, or a header it will not frame). The request's own fault: it is not
     * retried, and it counts neither against the node's breaker nor its health.
     *
     * @since 0.2.0
     */
    REQUEST_INVALID(true);

    private final boolean beforeSend;

    FailureKind(boolean beforeSend) {
        this.beforeSend = beforeSend;
    }

    /** @return {@code true} if a failure of this kind proves the request never reached a server */
    public boolean isBeforeSend() {
        return beforeSend;
    }
}
