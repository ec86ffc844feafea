package dev.vaultx.pool.testkit.internal;

/** Faults below HTTP: what the socket does instead of (or after) answering. */
public enum TransportFault {
    /** No fault: a normal HTTP response. */
    NONE,
    /** Accept the request and never answer (a very long response delay). */
    BLACKHOLE,
    /** Close the connection with a TCP RST ({@code Fault.CONNECTION_RESET_BY_PEER}). */
    CONNECTION_RESET,
    /** Write random bytes instead of HTTP, then close ({@code Fault.RANDOM_DATA_THEN_CLOSE}). */
    RANDOM_DATA,
    /** Send a 200 header and a broken chunked body ({@code Fault.MALFORMED_RESPONSE_CHUNK}). */
    MALFORMED_CHUNK
}
