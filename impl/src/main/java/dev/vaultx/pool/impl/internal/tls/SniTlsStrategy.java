package dev.vaultx.pool.impl.internal.tls;

import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.net.InetAddressUtils;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.List;

/**
 * HttpClient's own TLS strategy (what {@code ClientTlsStrategyBuilder} builds) that also sends SNI for
 * single-label host names. The JDK derives SNI from the peer host only when the name has a dot
 * ({@code vault-1.example.com}), so {@code https://vault-1:8200} or {@code https://localhost:8200} would get
 * none; Vault's Go client (crypto/tls) sends any host name that is not an IP address, and so does this.
 * IP addresses never get SNI (RFC 6066). With a fixed server name ({@code tlsServerName}) that name is sent on
 * every connection instead. Thread-safe.
 */
final class SniTlsStrategy extends DefaultClientTlsStrategy {

    private final String serverName;

    /** @param serverName the SNI name of every connection, or {@code null} for each node's host */
    SniTlsStrategy(SSLContext context, String[] protocols, HostnameVerificationPolicy policy, HostnameVerifier verifier,
                   String serverName) {
        super(context, protocols, null, SSLBufferMode.STATIC, policy, verifier);
        this.serverName = serverName;
    }

    /** Called with the engine of each new connection, after HttpClient set protocols, ALPN and endpoint identification. */
    @Override
    protected void initializeEngine(SSLEngine engine) {
        if (serverName != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            engine.setSSLParameters(parameters);
            return;
        }
        String host = engine.getPeerHost();
        if (host == null || host.isEmpty() || InetAddressUtils.isIPv4(host) || host.indexOf(':') >= 0 || host.startsWith("[")) {
            return;
        }
        SSLParameters parameters = engine.getSSLParameters();
        if (parameters.getServerNames() != null && !parameters.getServerNames().isEmpty()) {
            return; // the JDK derived it already (a name with a dot)
        }
        try {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        } catch (IllegalArgumentException notAValidHostName) {
            return; // e.g. an underscore: the JDK would not send it either
        }
        engine.setSSLParameters(parameters);
    }
}
