package dev.vaultx.pool.impl.osgi;

import dev.vaultx.pool.BalancingStrategy;
import dev.vaultx.pool.HttpVersion;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The metatype description of a pool's ConfigAdmin configuration (factory PID {@code dev.vaultx.pool}),
 * so that web consoles can show a form: one attribute per key of {@link dev.vaultx.pool.PoolConfigReader#keys()},
 * with the defaults of {@link dev.vaultx.pool.PoolConfig}, plus {@code name}.
 *
 * <p>Only a description: {@link PoolComponent} reads the configuration through
 * {@link dev.vaultx.pool.PoolConfigReader}, so values are strings as in every other configuration
 * source (durations {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT30S}; {@code nodes} as several
 * values or comma-separated) and are validated with the same messages.
 */
@ObjectClassDefinition(id = PoolComponent.PID, name = "vaultx-pool connection pool",
        description = "A connection pool for a HashiCorp Vault or OpenBao cluster; one configuration per pool. "
                + "Registered as a dev.vaultx.pool.ConnectionPool service with the property vaultx.pool.name.")
@interface PoolConfiguration {

    @AttributeDefinition(name = "Name", required = false,
            description = "The pool's name (service property vaultx.pool.name, JMX name, log messages): 1-64 of "
                    + "A-Z a-z 0-9 . _ -. Default: the configuration's name, the part of its PID after '~' "
                    + "(dev.vaultx.pool~payments is 'payments').")
    String name();

    @AttributeDefinition(name = "Nodes", cardinality = 64,
            description = "Base URLs of the cluster's nodes, http(s)://host:port without a path; all http or all https. "
                    + "Several values, or one comma-separated value.")
    String[] nodes();

    @AttributeDefinition(name = "Size", min = "1", max = "10000",
            description = "Connections kept open per node. Changed in place, without a restart.")
    int size() default 10;

    @AttributeDefinition(name = "Max overflow", min = "0", max = "10000",
            description = "Extra connections per node when all 'size' are busy; a returned one goes to a waiting "
                    + "request first, and those above 'size' close after 'overflowIdleTimeout' unneeded. Changed in place.")
    int maxOverflow() default 5;

    @AttributeDefinition(name = "Connect timeout", description = "Connect timeout (TCP and TLS), e.g. 30s.")
    String timeout() default "30s";

    @AttributeDefinition(name = "Max idle time", description = "An idle connection older than this is closed.")
    String maxIdleTime() default "300s";

    @AttributeDefinition(name = "Overflow idle timeout",
            description = "How long connections above 'size' may go unneeded before they are closed, e.g. 5s.")
    String overflowIdleTimeout() default "5s";

    @AttributeDefinition(name = "Health check interval",
            description = "Period of each node's /v1/sys/health probe (jittered by up to 10 %), at least 100ms.")
    String healthCheckInterval() default "60s";

    @AttributeDefinition(name = "Health check timeout", description = "How long one health probe may take.")
    String healthCheckTimeout() default "2s";

    @AttributeDefinition(name = "Borrow timeout", description = "How long a request waits for a free connection.")
    String borrowTimeout() default "5s";

    @AttributeDefinition(name = "Request timeout", description = "Overall deadline of a request, retries included.")
    String requestTimeout() default "60s";

    @AttributeDefinition(name = "Attempt timeout", description = "How long one try waits for response data.")
    String attemptTimeout() default "15s";

    @AttributeDefinition(name = "Validate after inactivity",
            description = "A connection idle longer is checked before reuse; 0 disables.")
    String validateAfterInactivity() default "2s";

    @AttributeDefinition(name = "Shutdown timeout", description = "How long closing the pool lets requests in flight finish.")
    String shutdownTimeout() default "10s";

    @AttributeDefinition(name = "Max pending requests", min = "1", max = "1000000",
            description = "Requests that may wait for a connection; more are rejected at once.")
    int maxPendingRequests() default 1000;

    @AttributeDefinition(name = "Max response bytes", min = "1024", max = "1073741824",
            description = "A larger response body fails the request (RESPONSE_TOO_LARGE). Default 8 MiB.")
    int maxResponseBytes() default 8 * 1024 * 1024;

    @AttributeDefinition(name = "I/O threads", required = false, min = "1", max = "256",
            description = "I/O reactor threads. Default: the number of processors.")
    int ioThreads();

    @AttributeDefinition(name = "Prewarm", description = "Open 'size' connections per node at start.")
    boolean prewarm() default true;

    @AttributeDefinition(name = "Namespace", required = false, description = "Default X-Vault-Namespace. Default: none.")
    String namespace();

    @AttributeDefinition(name = "Balancing strategy",
            description = "VAULT_AWARE routes by node role; ROUND_ROBIN and LEAST_PENDING ignore roles.")
    BalancingStrategy balancingStrategy() default BalancingStrategy.VAULT_AWARE;

    @AttributeDefinition(name = "Read from standbys", description = "Spread reads over performance standbys too.")
    boolean readFromStandbys() default false;

    @AttributeDefinition(name = "Read your writes", description = "Carry X-Vault-Index to standby reads and retry 412.")
    boolean readYourWrites() default false;

    @AttributeDefinition(name = "Follow redirects", description = "Follow a 307 to a configured node, once.")
    boolean followRedirects() default true;

    @AttributeDefinition(name = "Max retries", min = "0", max = "20", description = "Tries after the first.")
    int maxRetries() default 3;

    @AttributeDefinition(name = "Retry backoff", description = "First backoff of the exponential backoff with full jitter.")
    String retryBackoff() default "50ms";

    @AttributeDefinition(name = "Max retry backoff", description = "Largest backoff between retries.")
    String maxRetryBackoff() default "1s";

    @AttributeDefinition(name = "Retry budget ratio", description = "Retries allowed as a share of the requests of the last 10 s.")
    double retryBudgetRatio() default 0.2;

    @AttributeDefinition(name = "Retry budget minimum per second", min = "0", description = "Retries per second always allowed.")
    int retryBudgetMinPerSecond() default 10;

    @AttributeDefinition(name = "Breaker failure threshold", min = "1", description = "Consecutive failures that open a node's breaker.")
    int circuitBreakerFailureThreshold() default 5;

    @AttributeDefinition(name = "Breaker failure rate threshold", min = "1", max = "100",
            description = "Failure rate (%) over the window that opens a node's breaker.")
    int circuitBreakerFailureRateThreshold() default 50;

    @AttributeDefinition(name = "Breaker minimum requests", min = "1", description = "Requests in the window before the rate is judged.")
    int circuitBreakerMinimumRequests() default 20;

    @AttributeDefinition(name = "Breaker window", description = "The failure-rate window.")
    String circuitBreakerWindow() default "10s";

    @AttributeDefinition(name = "Breaker delay", description = "How long a breaker stays open before trial requests.")
    String circuitBreakerDelay() default "5s";

    @AttributeDefinition(name = "Breaker half-open requests", min = "1",
            description = "Trial requests of a half-open breaker; all must succeed to close it.")
    int circuitBreakerHalfOpenRequests() default 3;

    @AttributeDefinition(name = "TLS CA file", required = false,
            description = "A PEM file of the CA certificates that sign the nodes' certificates; they replace the JVM's "
                    + "trusted CAs. Default: none (the JVM's trust store). At most one of tlsCaFile, tlsCaPem, tlsCaPath, tlsTrustStore.")
    String tlsCaFile();

    @AttributeDefinition(name = "TLS CA PEM", required = false,
            description = "The CA certificates as PEM text (-----BEGIN CERTIFICATE-----), instead of tlsCaFile. Default: none.")
    String tlsCaPem();

    @AttributeDefinition(name = "TLS truststore", required = false,
            description = "A PKCS#12 or JKS keystore of the trusted CA certificates, instead of tlsCaFile. Default: none.")
    String tlsTrustStore();

    @AttributeDefinition(name = "TLS truststore password", required = false, type = AttributeType.PASSWORD,
            description = "The password of tlsTrustStore. Never logged.")
    String tlsTrustStorePassword();

    @AttributeDefinition(name = "TLS client certificate file", required = false,
            description = "The client certificate (PEM, optionally followed by its chain) for Vault's cert auth; with "
                    + "tlsClientKeyFile. Default: none.")
    String tlsClientCertFile();

    @AttributeDefinition(name = "TLS client key file", required = false,
            description = "The client certificate's private key, PEM: PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA "
                    + "PRIVATE KEY), SEC1 EC (BEGIN EC PRIVATE KEY), or encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY) with "
                    + "tlsClientKeyPassword.")
    String tlsClientKeyFile();

    @AttributeDefinition(name = "TLS client key password", required = false, type = AttributeType.PASSWORD,
            description = "The password of an encrypted PKCS#8 tlsClientKeyFile. Never logged.")
    String tlsClientKeyPassword();

    @AttributeDefinition(name = "TLS CA directory", required = false,
            description = "A directory of PEM CA certificate files (as VAULT_CAPATH); every file directly in it is read "
                    + "and they replace the JVM's trusted CAs. Default: none.")
    String tlsCaPath();

    @AttributeDefinition(name = "TLS server name", required = false,
            description = "The host name sent in SNI and verified in the nodes' certificates instead of each node's host "
                    + "(as VAULT_TLS_SERVER_NAME), e.g. vault.example.com. Default: none (each node's host).")
    String tlsServerName();

    @AttributeDefinition(name = "TLS keystore", required = false,
            description = "A PKCS#12 or JKS keystore holding the client key and certificate, instead of the two PEM files. "
                    + "Default: none.")
    String tlsKeyStore();

    @AttributeDefinition(name = "TLS keystore password", required = false, type = AttributeType.PASSWORD,
            description = "The password of tlsKeyStore and of its key. Never logged.")
    String tlsKeyStorePassword();

    @AttributeDefinition(name = "Skip host name verification (insecure)",
            description = "Accept a node certificate issued for another host name (the chain is still verified). "
                    + "For tests only; logged as a warning.")
    boolean insecureSkipHostnameVerification() default false;

    @AttributeDefinition(name = "HTTP version",
            description = "HTTP_1_1, or HTTP_2 negotiated by ALPN (https nodes only; one request per connection at a time).")
    HttpVersion httpVersion() default HttpVersion.HTTP_1_1;
}
