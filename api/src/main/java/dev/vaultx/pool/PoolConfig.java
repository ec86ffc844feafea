package dev.vaultx.pool;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The immutable configuration of one pool, built with {@link #builder()}. Keys and defaults follow
 * Vaultx's {@code Transport.Pool} ({@code size}, {@code maxOverflow}, {@code timeout},
 * {@code maxIdleTime}, {@code healthCheckInterval}, {@code borrowTimeout}); the rest are ours.
 *
 * <pre>{@code
 * PoolConfig config = PoolConfig.builder()
 *         .name("payments")
 *         .nodes("https://vault-1:8200", "https://vault-2:8200")
 *         .size(20)
 *         .tlsCaFile(Path.of("/etc/vault/ca.pem"))                // else the JVM's trusted CAs
 *         .tlsClientCertFile(Path.of("/etc/vault/client.pem"))    // for Vault's cert auth
 *         .tlsClientKeyFile(Path.of("/etc/vault/client-key.pem"))
 *         .build();
 * }</pre>
 *
 * <p>TLS: TLS 1.3 and 1.2 only, host names verified (unless {@link #insecureSkipHostnameVerification()}),
 * SNI sent for host names, HTTP/1.1 unless {@link #httpVersion()} asks for HTTP/2. Passwords never appear in
 * {@link #toString()} or in a {@link PoolConfigException}.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class PoolConfig {
    private final String name;
    private final List<URI> nodes;
    private final int size;
    private final int maxOverflow;
    private final Duration timeout;
    private final Duration maxIdleTime;
    private final Duration overflowIdleTimeout;
    private final Duration healthCheckInterval;
    private final Duration healthCheckTimeout;
    private final Duration borrowTimeout;
    private final Duration requestTimeout;
    private final Duration attemptTimeout;
    private final Duration validateAfterInactivity;
    private final Duration shutdownTimeout;
    private final int maxPendingRequests;
    private final int maxResponseBytes;
    private final int ioThreads;
    private final boolean prewarm;
    private final String namespace;
    private final BalancingStrategy balancingStrategy;
    private final boolean readFromStandbys;
    private final boolean readYourWrites;
    private final boolean followRedirects;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final double retryBudgetRatio;
    private final int retryBudgetMinPerSecond;
    private final int circuitBreakerFailureThreshold;
    private final int circuitBreakerFailureRateThreshold;
    private final int circuitBreakerMinimumRequests;
    private final Duration circuitBreakerWindow;
    private final Duration circuitBreakerDelay;
    private final int circuitBreakerHalfOpenRequests;
    private final Path tlsCaFile;
    private final String tlsCaPem;
    private final Path tlsTrustStore;
    private final String tlsTrustStorePassword;
    private final Path tlsClientCertFile;
    private final Path tlsClientKeyFile;
    private final String tlsClientKeyPassword;
    private final Path tlsCaPath;
    private final String tlsServerName;
    private final Path tlsKeyStore;
    private final String tlsKeyStorePassword;
    private final boolean insecureSkipHostnameVerification;
    private final HttpVersion httpVersion;

    PoolConfig(PoolConfigBuilder b) {
        this.name = b.name;
        this.nodes = b.nodes;
        this.size = b.size;
        this.maxOverflow = b.maxOverflow;
        this.timeout = b.timeout;
        this.maxIdleTime = b.maxIdleTime;
        this.overflowIdleTimeout = b.overflowIdleTimeout;
        this.healthCheckInterval = b.healthCheckInterval;
        this.healthCheckTimeout = b.healthCheckTimeout;
        this.borrowTimeout = b.borrowTimeout;
        this.requestTimeout = b.requestTimeout;
        this.attemptTimeout = b.attemptTimeout;
        this.validateAfterInactivity = b.validateAfterInactivity;
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxPendingRequests = b.maxPendingRequests;
        this.maxResponseBytes = b.maxResponseBytes;
        this.ioThreads = b.ioThreads;
        this.prewarm = b.prewarm;
        this.namespace = b.namespace;
        this.balancingStrategy = b.balancingStrategy;
        this.readFromStandbys = b.readFromStandbys;
        this.readYourWrites = b.readYourWrites;
        this.followRedirects = b.followRedirects;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.maxRetryBackoff = b.maxRetryBackoff;
        this.retryBudgetRatio = b.retryBudgetRatio;
        this.retryBudgetMinPerSecond = b.retryBudgetMinPerSecond;
        this.circuitBreakerFailureThreshold = b.circuitBreakerFailureThreshold;
        this.circuitBreakerFailureRateThreshold = b.circuitBreakerFailureRateThreshold;
        this.circuitBreakerMinimumRequests = b.circuitBreakerMinimumRequests;
        this.circuitBreakerWindow = b.circuitBreakerWindow;
        this.circuitBreakerDelay = b.circuitBreakerDelay;
        this.circuitBreakerHalfOpenRequests = b.circuitBreakerHalfOpenRequests;
        this.tlsCaFile = b.tlsCaFile;
        this.tlsCaPem = b.tlsCaPem;
        this.tlsTrustStore = b.tlsTrustStore;
        this.tlsTrustStorePassword = b.tlsTrustStorePassword;
        this.tlsClientCertFile = b.tlsClientCertFile;
        this.tlsClientKeyFile = b.tlsClientKeyFile;
        this.tlsClientKeyPassword = b.tlsClientKeyPassword;
        this.tlsCaPath = b.tlsCaPath;
        this.tlsServerName = b.tlsServerName;
        this.tlsKeyStore = b.tlsKeyStore;
        this.tlsKeyStorePassword = b.tlsKeyStorePassword;
        this.insecureSkipHostnameVerification = b.insecureSkipHostnameVerification;
        this.httpVersion = b.httpVersion;
    }

    /** @return a new builder holding the defaults */
    public static PoolConfigBuilder builder() {
        return new PoolConfigBuilder();
    }

    /** @return a builder holding this configuration's values, to derive a changed copy */
    public PoolConfigBuilder toBuilder() {
        PoolConfigBuilder b = new PoolConfigBuilder();
        b.name = name;
        b.nodes = nodes;
        b.size = size;
        b.maxOverflow = maxOverflow;
        b.timeout = timeout;
        b.maxIdleTime = maxIdleTime;
        b.overflowIdleTimeout = overflowIdleTimeout;
        b.healthCheckInterval = healthCheckInterval;
        b.healthCheckTimeout = healthCheckTimeout;
        b.borrowTimeout = borrowTimeout;
        b.requestTimeout = requestTimeout;
        b.attemptTimeout = attemptTimeout;
        b.validateAfterInactivity = validateAfterInactivity;
        b.shutdownTimeout = shutdownTimeout;
        b.maxPendingRequests = maxPendingRequests;
        b.maxResponseBytes = maxResponseBytes;
        b.ioThreads = ioThreads;
        b.prewarm = prewarm;
        b.namespace = namespace;
        b.balancingStrategy = balancingStrategy;
        b.readFromStandbys = readFromStandbys;
        b.readYourWrites = readYourWrites;
        b.followRedirects = followRedirects;
        b.maxRetries = maxRetries;
        b.retryBackoff = retryBackoff;
        b.maxRetryBackoff = maxRetryBackoff;
        b.retryBudgetRatio = retryBudgetRatio;
        b.retryBudgetMinPerSecond = retryBudgetMinPerSecond;
        b.circuitBreakerFailureThreshold = circuitBreakerFailureThreshold;
        b.circuitBreakerFailureRateThreshold = circuitBreakerFailureRateThreshold;
        b.circuitBreakerMinimumRequests = circuitBreakerMinimumRequests;
        b.circuitBreakerWindow = circuitBreakerWindow;
        b.circuitBreakerDelay = circuitBreakerDelay;
        b.circuitBreakerHalfOpenRequests = circuitBreakerHalfOpenRequests;
        b.tlsCaFile = tlsCaFile;
        b.tlsCaPem = tlsCaPem;
        b.tlsTrustStore = tlsTrustStore;
        b.tlsTrustStorePassword = tlsTrustStorePassword;
        b.tlsClientCertFile = tlsClientCertFile;
        b.tlsClientKeyFile = tlsClientKeyFile;
        b.tlsClientKeyPassword = tlsClientKeyPassword;
        b.tlsCaPath = tlsCaPath;
        b.tlsServerName = tlsServerName;
        b.tlsKeyStore = tlsKeyStore;
        b.tlsKeyStorePassword = tlsKeyStorePassword;
        b.insecureSkipHostnameVerification = insecureSkipHostnameVerification;
        b.httpVersion = httpVersion;
        return b;
    }

    /**
     * @return the pool's name. Default {@code default}.
     * @see PoolConfigBuilder#name
     */
    public String name() {
        return name;
    }

    /**
     * @return the nodes' base URIs, normalised to {@code scheme://host:port}, in configuration order. Required.
     * @see PoolConfigBuilder#nodes
     */
    public List<URI> nodes() {
        return nodes;
    }

    /**
     * @return connections kept open per node. Default 10.
     * @see PoolConfigBuilder#size
     */
    public int size() {
        return size;
    }

    /**
     * @return extra connections per node when all {@code size} are busy; those above {@code size} close after
     *         {@link #overflowIdleTimeout()} unneeded. Default 5.
     * @see PoolConfigBuilder#maxOverflow
     */
    public int maxOverflow() {
        return maxOverflow;
    }

    /**
     * @return the connect timeout (TCP and TLS handshake). Default 30 s.
     * @see PoolConfigBuilder#timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @return an idle connection older than this is closed. Default 300 s (Vault's own keep-alive is 5 min: prefer less).
     * @see PoolConfigBuilder#maxIdleTime
     */
    public Duration maxIdleTime() {
        return maxIdleTime;
    }

    /**
     * @return how long a node's connections above {@code size} may go unneeded before they are closed. Default 5 s.
     * @see PoolConfigBuilder#overflowIdleTimeout
     */
    public Duration overflowIdleTimeout() {
        return overflowIdleTimeout;
    }

    /**
     * @return period of each node's health probe, jittered. Default 60 s.
     * @see PoolConfigBuilder#healthCheckInterval
     */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    /**
     * @return how long one health probe may take. Default 2 s.
     * @see PoolConfigBuilder#healthCheckTimeout
     */
    public Duration healthCheckTimeout() {
        return healthCheckTimeout;
    }

    /**
     * @return how long a request or {@code getConnection()} waits for a free connection. Default 5 s.
     * @see PoolConfigBuilder#borrowTimeout
     */
    public Duration borrowTimeout() {
        return borrowTimeout;
    }

    /**
     * @return the overall deadline of a request, retries included. Default 60 s.
     * @see PoolConfigBuilder#requestTimeout
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * @return how long one try on one node waits for its response. Default 15 s.
     * @see PoolConfigBuilder#attemptTimeout
     */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /**
     * @return a connection idle for longer is checked before reuse; zero disables. Default 2 s.
     * @see PoolConfigBuilder#validateAfterInactivity
     */
    public Duration validateAfterInactivity() {
        return validateAfterInactivity;
    }

    /**
     * @return how long {@code close()} lets requests in flight finish. Default 10 s.
     * @see PoolConfigBuilder#shutdownTimeout
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * @return requests that may wait for a connection before new ones are rejected at once. Default 1000.
     * @see PoolConfigBuilder#maxPendingRequests
     */
    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    /**
     * @return the largest response body accepted, in bytes. Default 8 MiB.
     * @see PoolConfigBuilder#maxResponseBytes
     */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * @return I/O reactor threads. Default the number of processors.
     * @see PoolConfigBuilder#ioThreads
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * @return whether {@code size} connections per node are opened at start. Default {@code true}.
     * @see PoolConfigBuilder#prewarm
     */
    public boolean prewarm() {
        return prewarm;
    }

    /**
     * @return the default {@code X-Vault-Namespace}. Default none.
     * @see PoolConfigBuilder#namespace
     */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /**
     * @return how nodes are chosen. Default {@link BalancingStrategy#VAULT_AWARE}.
     * @see PoolConfigBuilder#balancingStrategy
     */
    public BalancingStrategy balancingStrategy() {
        return balancingStrategy;
    }

    /**
     * @return whether reads may go to performance standbys. Default {@code false}.
     * @see PoolConfigBuilder#readFromStandbys
     */
    public boolean readFromStandbys() {
        return readFromStandbys;
    }

    /**
     * @return whether the {@code X-Vault-Index} states of responses are merged as Vault's Go client does, sent on reads to
     *         standbys (one header line each) and 412 retried. Default {@code false}.
     * @see PoolConfigBuilder#readYourWrites
     */
    public boolean readYourWrites() {
        return readYourWrites;
    }

    /**
     * @return whether a 307 to a configured node is followed, once. Default {@code true}.
     * @see PoolConfigBuilder#followRedirects
     */
    public boolean followRedirects() {
        return followRedirects;
    }

    /**
     * @return tries after the first. Default 3.
     * @see PoolConfigBuilder#maxRetries
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * @return the first retry's delay, doubled each time, with full jitter. Default 50 ms.
     * @see PoolConfigBuilder#retryBackoff
     */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /**
     * @return the longest delay between retries. Default 1 s.
     * @see PoolConfigBuilder#maxRetryBackoff
     */
    public Duration maxRetryBackoff() {
        return maxRetryBackoff;
    }

    /**
     * @return retries allowed as a share of requests over the last 10 s. Default 0.2.
     * @see PoolConfigBuilder#retryBudgetRatio
     */
    public double retryBudgetRatio() {
        return retryBudgetRatio;
    }

    /**
     * @return retries per second always allowed. Default 10.
     * @see PoolConfigBuilder#retryBudgetMinPerSecond
     */
    public int retryBudgetMinPerSecond() {
        return retryBudgetMinPerSecond;
    }

    /**
     * @return consecutive failures that open a node's breaker. Default 5.
     * @see PoolConfigBuilder#circuitBreakerFailureThreshold
     */
    public int circuitBreakerFailureThreshold() {
        return circuitBreakerFailureThreshold;
    }

    /**
     * @return failure rate in percent over the window that opens a node's breaker. Default 50.
     * @see PoolConfigBuilder#circuitBreakerFailureRateThreshold
     */
    public int circuitBreakerFailureRateThreshold() {
        return circuitBreakerFailureRateThreshold;
    }

    /**
     * @return requests in the window before the rate is judged. Default 20.
     * @see PoolConfigBuilder#circuitBreakerMinimumRequests
     */
    public int circuitBreakerMinimumRequests() {
        return circuitBreakerMinimumRequests;
    }

    /**
     * @return the period of the failure rate. Default 10 s.
     * @see PoolConfigBuilder#circuitBreakerWindow
     */
    public Duration circuitBreakerWindow() {
        return circuitBreakerWindow;
    }

    /**
     * @return how long an open breaker waits before admitting trial requests. Default 5 s.
     * @see PoolConfigBuilder#circuitBreakerDelay
     */
    public Duration circuitBreakerDelay() {
        return circuitBreakerDelay;
    }

    /**
     * @return trial requests a half-open breaker admits; all must succeed to close it. Default 3.
     * @see PoolConfigBuilder#circuitBreakerHalfOpenRequests
     */
    public int circuitBreakerHalfOpenRequests() {
        return circuitBreakerHalfOpenRequests;
    }

    /**
     * @return a PEM file of the CA certificates trusted for the nodes' certificates, instead of the JVM's. Default none.
     * @see PoolConfigBuilder#tlsCaFile
     */
    public Optional<Path> tlsCaFile() {
        return Optional.ofNullable(tlsCaFile);
    }

    /**
     * @return the PEM text of the CA certificates trusted for the nodes' certificates, instead of the JVM's. Default none.
     * @see PoolConfigBuilder#tlsCaPem
     */
    public Optional<String> tlsCaPem() {
        return Optional.ofNullable(tlsCaPem);
    }

    /**
     * @return a PKCS#12 or JKS keystore of the certificates trusted for the nodes, instead of the JVM's. Default none.
     * @see PoolConfigBuilder#tlsTrustStore
     */
    public Optional<Path> tlsTrustStore() {
        return Optional.ofNullable(tlsTrustStore);
    }

    /**
     * @return the password of {@link #tlsTrustStore()}; a secret, never in {@link #toString()}. Default none.
     * @see PoolConfigBuilder#tlsTrustStorePassword
     */
    public Optional<String> tlsTrustStorePassword() {
        return Optional.ofNullable(tlsTrustStorePassword);
    }

    /**
     * @return the PEM client certificate (and chain) presented to the nodes, for Vault's cert auth. Default none.
     * @see PoolConfigBuilder#tlsClientCertFile
     */
    public Optional<Path> tlsClientCertFile() {
        return Optional.ofNullable(tlsClientCertFile);
    }

    /**
     * @return the PEM private key of {@link #tlsClientCertFile()} (PKCS#8, PKCS#1 RSA, SEC1 EC, or encrypted PKCS#8).
     *         Default none.
     * @see PoolConfigBuilder#tlsClientKeyFile
     */
    public Optional<Path> tlsClientKeyFile() {
        return Optional.ofNullable(tlsClientKeyFile);
    }

    /**
     * @return the password of an encrypted {@link #tlsClientKeyFile()}; a secret, never in {@link #toString()}. Default none.
     * @see PoolConfigBuilder#tlsClientKeyPassword
     */
    public Optional<String> tlsClientKeyPassword() {
        return Optional.ofNullable(tlsClientKeyPassword);
    }

    /**
     * @return a directory of PEM CA certificate files that replace the JVM's trusted CAs. Default none.
     * @see PoolConfigBuilder#tlsCaPath
     */
    public Optional<Path> tlsCaPath() {
        return Optional.ofNullable(tlsCaPath);
    }

    /**
     * @return the host name sent in SNI and verified in the nodes' certificates instead of each node's host,
     *         lower case. Default none (each node's host).
     * @see PoolConfigBuilder#tlsServerName
     */
    public Optional<String> tlsServerName() {
        return Optional.ofNullable(tlsServerName);
    }

    /**
     * @return a PKCS#12 or JKS keystore holding the client key and certificate presented to the nodes. Default none.
     * @see PoolConfigBuilder#tlsKeyStore
     */
    public Optional<Path> tlsKeyStore() {
        return Optional.ofNullable(tlsKeyStore);
    }

    /**
     * @return the password of {@link #tlsKeyStore()} and its key; a secret, never in {@link #toString()}. Default none.
     * @see PoolConfigBuilder#tlsKeyStorePassword
     */
    public Optional<String> tlsKeyStorePassword() {
        return Optional.ofNullable(tlsKeyStorePassword);
    }

    /**
     * @return whether a node certificate issued for another host name is accepted (tests only). Default {@code false}.
     * @see PoolConfigBuilder#insecureSkipHostnameVerification
     */
    public boolean insecureSkipHostnameVerification() {
        return insecureSkipHostnameVerification;
    }

    /**
     * @return the HTTP version spoken to the nodes. Default {@link HttpVersion#HTTP_1_1}.
     * @see PoolConfigBuilder#httpVersion
     */
    public HttpVersion httpVersion() {
        return httpVersion;
    }

    /** @return {@code size + maxOverflow}: the most connections one node may have */
    public int maxConnectionsPerNode() {
        return size + maxOverflow;
    }

    @Override
    public String toString() {
        return "PoolConfig{name=" + name + ", nodes=" + nodes + ", size=" + size + ", maxOverflow=" + maxOverflow
                + ", timeout=" + timeout + ", maxIdleTime=" + maxIdleTime
                + ", overflowIdleTimeout=" + overflowIdleTimeout + ", healthCheckInterval=" + healthCheckInterval
                + ", borrowTimeout=" + borrowTimeout + ", requestTimeout=" + requestTimeout + ", attemptTimeout=" + attemptTimeout
                + ", maxPendingRequests=" + maxPendingRequests + ", balancingStrategy=" + balancingStrategy
                + ", readFromStandbys=" + readFromStandbys + ", maxRetries=" + maxRetries + tlsToString() + "}";
    }

    /** @return the TLS keys that are set, passwords as {@code <redacted>} and PEM text by its length */
    private String tlsToString() {
        StringBuilder s = new StringBuilder();
        append(s, "tlsCaFile", tlsCaFile);
        append(s, "tlsCaPem", tlsCaPem == null ? null : TlsChecks.shownPem(tlsCaPem));
        append(s, "tlsTrustStore", tlsTrustStore);
        append(s, "tlsTrustStorePassword", tlsTrustStorePassword == null ? null : TlsChecks.REDACTED);
        append(s, "tlsClientCertFile", tlsClientCertFile);
        append(s, "tlsClientKeyFile", tlsClientKeyFile);
        append(s, "tlsClientKeyPassword", tlsClientKeyPassword == null ? null : TlsChecks.REDACTED);
        append(s, "tlsCaPath", tlsCaPath);
        append(s, "tlsServerName", tlsServerName);
        append(s, "tlsKeyStore", tlsKeyStore);
        append(s, "tlsKeyStorePassword", tlsKeyStorePassword == null ? null : TlsChecks.REDACTED);
        append(s, "insecureSkipHostnameVerification", insecureSkipHostnameVerification ? Boolean.TRUE : null);
        append(s, "httpVersion", httpVersion == HttpVersion.HTTP_1_1 ? null : httpVersion);
        return s.toString();
    }

    private static void append(StringBuilder s, String key, Object value) {
        if (value != null) {
            s.append(", ").append(key).append('=').append(value);
        }
    }
}
