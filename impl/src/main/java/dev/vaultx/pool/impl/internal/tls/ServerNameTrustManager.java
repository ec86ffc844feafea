package dev.vaultx.pool.impl.internal.tls;

import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Checks a server's certificate chain with the JDK's PKIX trust manager and its host name against one fixed
 * name ({@code tlsServerName}, Vault's {@code VAULT_TLS_SERVER_NAME}) instead of the host the connection went to:
 * nodes addressed by IP or by an internal name whose certificates name {@code vault.example.com}. Matching is
 * HttpClient's {@link DefaultHostnameVerifier} (RFC 2818/6125: subject alternative names, one left-most
 * wildcard label). Works for any client of the JDK's TLS (HttpClient 5 here, the JDK HttpClient of the
 * command line's {@code probe}), whatever endpoint identification that client asks for. Immutable, thread-safe.
 */
final class ServerNameTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager chain;
    private final String serverName;
    private final DefaultHostnameVerifier names = new DefaultHostnameVerifier();

    private ServerNameTrustManager(X509TrustManager chain, String serverName) {
        this.chain = chain;
        this.serverName = serverName;
    }

    /** @return the managers with every X.509 one wrapped */
    static TrustManager[] wrap(TrustManager[] managers, String serverName) {
        TrustManager[] wrapped = managers.clone();
        for (int i = 0; i < wrapped.length; i++) {
            if (wrapped[i] instanceof X509TrustManager x509) {
                wrapped[i] = new ServerNameTrustManager(x509, serverName);
            }
        }
        return wrapped;
    }

    private void check(X509Certificate[] certificates, String authType) throws CertificateException {
        chain.checkServerTrusted(certificates, authType); // the chain only: no endpoint identification here
        try {
            names.verify(serverName, certificates[0]);
        } catch (SSLException e) {
            throw new CertificateException("the certificate of the node does not name tlsServerName " + serverName
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        check(certificates, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        check(certificates, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        check(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        chain.checkClientTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        chain.checkClientTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        chain.checkClientTrusted(certificates, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
