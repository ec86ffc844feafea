package dev.vaultx.pool.impl.internal.tls;

import dev.vaultx.pool.HttpVersion;
import dev.vaultx.pool.PoolConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The TLS of one pool, built once from its configuration and shared by its two transports (requests and
 * health probes): a JDK {@link SSLContext} with the configured trust and client identity, HttpClient 5's
 * {@link TlsStrategy} ({@link SniTlsStrategy}: TLS 1.3 and 1.2 only; host names verified by the JDK's
 * {@code HTTPS} endpoint identification, or not at all with {@code insecureSkipHostnameVerification}) and the {@link TlsConfig}
 * (same protocols, handshake timeout = connect timeout, HTTP version by ALPN).
 *
 * <p>SNI: the node's host name goes in the {@code server_name} extension whenever the node is named by a host
 * name. HttpClient passes it to {@code SSLContext.createSSLEngine(host, port)}, from which the JDK derives SNI,
 * but only for names with a dot ({@code vault-1.example.com}); {@link SniTlsStrategy} adds it for single-label
 * names ({@code https://vault-1:8200}), as Vault's Go client does. An IP address ({@code https://10.0.0.1:8200})
 * gets no SNI (RFC 6066 forbids it). With {@code tlsServerName} every connection sends that name in SNI instead,
 * and the certificate must name it (checked by {@link ServerNameTrustManager}), whatever the node's address.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class PoolTls {

    private static final Logger LOG = LoggerFactory.getLogger(PoolTls.class);
    private static final TLS[] PROTOCOLS = {TLS.V_1_3, TLS.V_1_2};

    /**
     * Hands one pool's TLS from its request transport to its probe transport. The key is the pool's node list,
     * which only that pool holds (its elements compare by identity); entries go when the pool is collected.
     */
    private static final Map<Object, PoolTls> BY_POOL = Collections.synchronizedMap(new WeakHashMap<>());

    private final SSLContext sslContext;
    private final TlsStrategy strategy;
    private final TlsConfig tlsConfig;

    private PoolTls(SSLContext sslContext, TlsStrategy strategy, TlsConfig tlsConfig) {
        this.sslContext = sslContext;
        this.strategy = strategy;
        this.tlsConfig = tlsConfig;
    }

    /**
     * Builds the TLS of a pool, logs what deserves it (a WARN when host names go unchecked), and keeps it for
     * {@link #forProbes}.
     *
     * @param pool the pool's node list, the same object the probe transport will be given
     * @throws dev.vaultx.pool.PoolConfigException if a TLS file no longer loads as it did when the configuration was built
     */
    public static PoolTls forRequests(PoolConfig config, Object pool) {
        PoolTls tls = create(config);
        logStart(config);
        BY_POOL.put(pool, tls);
        return tls;
    }

    /** @return the TLS {@link #forRequests} built for this pool, or (if there was none) a new one, quietly */
    public static PoolTls forProbes(PoolConfig config, Object pool) {
        PoolTls tls = BY_POOL.get(pool);
        return tls != null ? tls : create(config);
    }

    /** Builds a pool's TLS; no logging. */
    public static PoolTls create(PoolConfig config) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(TlsMaterial.keyManagers(config), TlsMaterial.trustManagers(config), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
        String serverName = config.tlsServerName().orElse(null);
        TlsStrategy strategy = config.insecureSkipHostnameVerification() || serverName != null
                // CLIENT: no JDK endpoint identification, and a verifier that accepts any name: either names go
                // unchecked, or ServerNameTrustManager (TlsMaterial) already checked the certificate against tlsServerName
                ? new SniTlsStrategy(context, protocols().toArray(new String[0]), HostnameVerificationPolicy.CLIENT,
                        NoopHostnameVerifier.INSTANCE, serverName)
                // BUILTIN: the JDK's HTTPS endpoint identification (RFC 2818: DNS and IP subject alternative names)
                : new SniTlsStrategy(context, protocols().toArray(new String[0]), HostnameVerificationPolicy.BUILTIN, null, null);
        TlsConfig tlsConfig = TlsConfig.custom()
                .setSupportedProtocols(PROTOCOLS)
                .setHandshakeTimeout(Timeout.of(config.timeout()))
                // the default would be NEGOTIATE: an https node that speaks h2 would get HTTP/2 unasked
                .setVersionPolicy(config.httpVersion() == HttpVersion.HTTP_2 ? HttpVersionPolicy.NEGOTIATE : HttpVersionPolicy.FORCE_HTTP_1)
                .build();
        return new PoolTls(context, strategy, tlsConfig);
    }

    private static void logStart(PoolConfig config) {
        boolean https = "https".equals(config.nodes().get(0).getScheme());
        List<String> set = tlsKeys(config);
        if (!https) {
            if (!set.isEmpty()) {
                LOG.warn("{} - {} set but the nodes use http: no TLS, the keys have no effect", config.name(), set);
            }
            return;
        }
        if (config.insecureSkipHostnameVerification()) {
            LOG.warn("{} - TLS host name verification is OFF (insecureSkipHostnameVerification=true): a node certificate "
                    + "issued for any host name is accepted if a trusted CA signed it. For tests only.", config.name());
        }
        String trust = config.tlsCaFile().map(f -> "the CAs of tlsCaFile " + f)
                .or(() -> config.tlsCaPem().map(p -> "the CAs of tlsCaPem"))
                .or(() -> config.tlsCaPath().map(d -> "the CAs in tlsCaPath " + d))
                .or(() -> config.tlsTrustStore().map(f -> "tlsTrustStore " + f))
                .orElse("the JVM's trusted CAs");
        String identity = config.tlsClientCertFile().map(f -> "client certificate " + f)
                .or(() -> config.tlsKeyStore().map(f -> "client certificate from " + f))
                .orElse("no client certificate");
        LOG.info("{} - TLS 1.3/1.2 trusting {}, {}, host names {}, {}", config.name(), trust, identity,
                config.insecureSkipHostnameVerification() ? "NOT verified"
                        : config.tlsServerName().map(n -> "verified against tlsServerName " + n).orElse("verified"),
                config.httpVersion() == HttpVersion.HTTP_2 ? "HTTP/2 or HTTP/1.1 by ALPN" : "HTTP/1.1");
    }

    private static List<String> tlsKeys(PoolConfig config) {
        List<String> set = new ArrayList<>();
        config.tlsCaFile().ifPresent(v -> set.add("tlsCaFile"));
        config.tlsCaPem().ifPresent(v -> set.add("tlsCaPem"));
        config.tlsCaPath().ifPresent(v -> set.add("tlsCaPath"));
        config.tlsServerName().ifPresent(v -> set.add("tlsServerName"));
        config.tlsTrustStore().ifPresent(v -> set.add("tlsTrustStore"));
        config.tlsClientCertFile().ifPresent(v -> set.add("tlsClientCertFile"));
        config.tlsKeyStore().ifPresent(v -> set.add("tlsKeyStore"));
        if (config.insecureSkipHostnameVerification()) {
            set.add("insecureSkipHostnameVerification");
        }
        return set;
    }

    /** @return the JDK context: trust and client identity */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** @return the strategy that upgrades a connection to TLS: protocols and host name verification */
    public TlsStrategy strategy() {
        return strategy;
    }

    /** @return the connection manager's TLS settings: protocols, handshake timeout, HTTP version policy */
    public TlsConfig tlsConfig() {
        return tlsConfig;
    }

    /** @return the protocols offered, newest first: {@code TLSv1.3, TLSv1.2} */
    public static List<String> protocols() {
        List<String> list = new ArrayList<>();
        for (TLS t : PROTOCOLS) {
            list.add(t.id);
        }
        return list;
    }
}
