package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import dev.vaultx.pool.NoAvailableNodeException;
import dev.vaultx.pool.PoolClosedException;
import dev.vaultx.pool.PoolExhaustedException;
import dev.vaultx.pool.RequestTimeoutException;
import dev.vaultx.pool.VaultTransportException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/** Maps I/O failures from the transport onto {@link FailureKind}s. Stateless. */
final class Failures {

    private Failures() {
    }

    /**
     * @param t a failure from a lease (connect phase) or an exchange
     * @param connecting {@code true} if the failure happened while opening the connection
     * @return its kind
     */
    static FailureKind kindOf(Throwable t, boolean connecting) {
        Throwable e = unwrap(t);
        if (e instanceof RequestProducer.Rejected) {
            return FailureKind.REQUEST_INVALID;
        }
        if (e instanceof VaultResponseConsumer.ResponseTooLargeException) {
            return FailureKind.RESPONSE_TOO_LARGE;
        }
        if (e instanceof UnknownHostException) {
            return FailureKind.UNKNOWN_HOST;
        }
        if (e instanceof SSLException) {
            return FailureKind.TLS;
        }
        if (e instanceof ConnectTimeoutException) {
            return FailureKind.CONNECT_TIMEOUT;
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return FailureKind.CONNECT_REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return connecting ? FailureKind.CONNECT_TIMEOUT : FailureKind.RESPONSE_TIMEOUT;
        }
        if (quotesServerData(e)) {
            return FailureKind.PROTOCOL_ERROR; // not HTTP, or a broken chunk
        }
        if (e instanceof ConnectionClosedException || e instanceof SocketException) {
            return connecting ? FailureKind.CONNECT_REFUSED : FailureKind.CONNECTION_RESET;
        }
        return connecting ? FailureKind.CONNECT_REFUSED : FailureKind.IO;
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * @return a one-line description of a failure, without secrets: the message of a parse failure, which quotes
     *         what the server sent (a server or proxy that echoes the request would put its token there), is cut to
     *         its gist
     */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        String m = quotesServerData(e) ? gist(e.getMessage()) : e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * @return the cause to attach to the pool's exception: the failure itself, or, when its message quotes what
     *         the server sent, a stand-in with the gist of the message and the same stack trace
     */
    static Throwable cause(Throwable t) {
        Throwable e = unwrap(t);
        if (!quotesServerData(e)) {
            return e;
        }
        String gist = gist(e.getMessage());
        IOException safe = new IOException(e.getClass().getName() + (gist == null ? "" : ": " + gist)
                + " (the bytes the server sent are not shown)");
        safe.setStackTrace(e.getStackTrace());
        return safe;
    }

    /** core5's parse failures quote the offending input: {@code Invalid protocol version; error at offset 0: <...>}. */
    private static boolean quotesServerData(Throwable e) {
        if (e instanceof RequestProducer.Rejected) {
            return false; // its message is made of gists already
        }
        return e instanceof HttpException || e instanceof MalformedChunkCodingException;
    }

    /** @return the message up to its first {@code :}, {@code ;} or {@code <}, printable ASCII only, or {@code null} */
    private static String gist(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < message.length() && s.length() < 80; i++) {
            char c = message.charAt(i);
            if (c == ':' || c == ';' || c == '<') {
                break;
            }
            if (c >= ' ' && c < 0x7f) {
                s.append(c);
            }
        }
        String g = s.toString().trim();
        return g.isEmpty() ? null : g;
    }

    /** @return the metric name of a failure's kind, e.g. {@code pool_exhausted}, {@code connect_refused} */
    static String metricName(Throwable e) {
        Throwable t = Failures.unwrap(e);
        if (t instanceof VaultTransportException) {
            return ((VaultTransportException) t).kind().name().toLowerCase(Locale.ROOT);
        }
        if (t instanceof PoolExhaustedException) {
            return "pool_exhausted";
        }
        if (t instanceof NoAvailableNodeException) {
            return "no_available_node";
        }
        if (t instanceof RequestTimeoutException) {
            return "request_timeout";
        }
        if (t instanceof PoolClosedException) {
            return "pool_closed";
        }
        return "other";
    }
}
