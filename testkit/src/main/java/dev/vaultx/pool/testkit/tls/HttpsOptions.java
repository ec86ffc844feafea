package dev.vaultx.pool.testkit.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a simulated node serves HTTPS: its server keystore, optionally a truststore against which it
 * requires client certificates, and whether it offers HTTP/2 by ALPN. Nodes that serve HTTPS serve
 * nothing over plain HTTP; {@code /v1/sys/health} and the API are served alike.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class HttpsOptions {

    private final Path keyStore;
    private final String keyStorePassword;
    private final Path trustStore;
    private final String trustStorePassword;
    private final boolean http2;

    private HttpsOptions(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword, boolean http2) {
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.http2 = http2;
    }

    /**
     * Serves HTTPS with a server identity; HTTP/2 offered, no client certificate asked for.
     *
     * @param pkcs12KeyStore a PKCS#12 keystore holding the server's private key and certificate chain
     * @param password the password of the keystore and of its key
     * @return the options
     */
    public static HttpsOptions keyStore(Path pkcs12KeyStore, String password) {
        return new HttpsOptions(Objects.requireNonNull(pkcs12KeyStore, "pkcs12KeyStore"), Objects.requireNonNull(password, "password"),
                null, null, true);
    }

    /**
     * Requires every client to present a certificate that the truststore's CAs signed (mutual TLS, as for
     * Vault's cert auth): a client without one fails the handshake.
     *
     * @param pkcs12TrustStore a PKCS#12 keystore of the trusted CA certificates
     * @param password its password
     * @return new options
     */
    public HttpsOptions requireClientCertificates(Path pkcs12TrustStore, String password) {
        return new HttpsOptions(keyStore, keyStorePassword, Objects.requireNonNull(pkcs12TrustStore, "pkcs12TrustStore"),
                Objects.requireNonNull(password, "password"), http2);
    }

    /**
     * @param enabled whether {@code h2} is offered by ALPN besides {@code http/1.1} (default {@code true})
     * @return new options
     */
    public HttpsOptions http2(boolean enabled) {
        return new HttpsOptions(keyStore, keyStorePassword, trustStore, trustStorePassword, enabled);
    }

    /** @return the server keystore (PKCS#12) */
    public Path keyStore() {
        return keyStore;
    }

    /** @return the password of the server keystore and of its key */
    public String keyStorePassword() {
        return keyStorePassword;
    }

    /** @return the truststore client certificates are checked against, or {@code null} when none is required */
    public Path trustStore() {
        return trustStore;
    }

    /** @return the truststore's password, or {@code null} */
    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** @return whether client certificates are required */
    public boolean needClientAuth() {
        return trustStore != null;
    }

    /** @return whether HTTP/2 is offered by ALPN */
    public boolean http2() {
        return http2;
    }

    @Override
    public String toString() {
        return "HttpsOptions{keyStore=" + keyStore + ", clientAuth=" + needClientAuth() + ", http2=" + http2 + "}";
    }
}
