package dev.vaultx.pool.impl.internal;

import dev.vaultx.pool.FailureKind;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
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
        if (e instanceof HttpException) {
            return FailureKind.PROTOCOL_ERROR;
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

    /** @return a one-line description of a failure, without secrets (exception messages of the I/O layer carry none) */
    static String describe(Throwable t) {
        Throwable e = unwrap(t);
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
