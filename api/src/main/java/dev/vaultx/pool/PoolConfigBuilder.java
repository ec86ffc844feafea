package dev.vaultx.pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a {@link PoolConfig}. Each setter validates its value at once and throws
 * {@link PoolConfigException} with {@code name: value (expected: ...)}; {@link #build()} checks
 * what depends on several keys. Defaults are listed on {@link PoolConfig}'s getters.
 *
 * <p>This class is not thread-safe.
 */
public final class PoolConfigBuilder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final int MAX_CONNECTIONS_PER_NODE = 10_000;
    static final int MAX_NODES = 64;

    String name = "default";
    List<URI> nodes = List.of();
    int size = 10;
    int maxOverflow = 5;
    Duration timeout = Duration.ofSeconds(30);
    Duration maxIdleTime = Duration.ofSeconds(300);
    Duration overflowIdleTimeout = Duration.ofSeconds(5);
    Duration healthCheckInterval = Duration.ofSeconds(60);
    Duration healthCheckTimeout = Duration.ofSeconds(2);
    Duration borrowTimeout = Duration.ofSeconds(5);
    Duration requestTimeout = Duration.ofSeconds(60);
    Duration attemptTimeout = Duration.ofSeconds(15);
    Duration validateAfterInactivity = Duration.ofSeconds(2);
    Duration shutdownTimeout = Duration.ofSeconds(10);
    int maxPendingRequests = 1000;
    int maxResponseBytes = 8 * 1024 * 1024;
    int ioThreads = Runtime.getRuntime().availableProcessors();
    boolean prewarm = true;
    String namespace;
    BalancingStrategy balancingStrategy = BalancingStrategy.VAULT_AWARE;
    boolean readFromStandbys;
    boolean readYourWrites;
    boolean followRedirects = true;
    int maxRetries = 3;
    Duration retryBackoff = Duration.ofMillis(50);
    Duration maxRetryBackoff = Duration.ofSeconds(1);
    double retryBudgetRatio = 0.2;
    int retryBudgetMinPerSecond = 10;
    int circuitBreakerFailureThreshold = 5;
    int circuitBreakerFailureRateThreshold = 50;
    int circuitBreakerMinimumRequests = 20;
    Duration circuitBreakerWindow = Duration.ofSeconds(10);
    Duration circuitBreakerDelay = Duration.ofSeconds(5);
    int circuitBreakerHalfOpenRequests = 3;
    Path tlsCaFile;
    String tlsCaPem;
    Path tlsTrustStore;
    String tlsTrustStorePassword;
    Path tlsClientCertFile;
    Path tlsClientKeyFile;
    String tlsClientKeyPassword;
    Path tlsCaPath;
    String tlsServerName;
    Path tlsKeyStore;
    String tlsKeyStorePassword;
    boolean insecureSkipHostnameVerification;
    HttpVersion httpVersion = HttpVersion.HTTP_1_1;

    PoolConfigBuilder() {
    }

    /** @param name the pool's name, used in messages, metrics and JMX: 1-64 of {@code A-Z a-z 0-9 . _ -}. Default {@code default}. */
    public PoolConfigBuilder name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PoolConfigException("name", name, "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }
        this.name = name;
        return this;
    }

    /** @param nodes base URLs of the cluster's nodes, e.g. {@code https://vault-1:8200}. Required. */
    public PoolConfigBuilder nodes(String... nodes) {
        if (nodes == null) {
            throw new PoolConfigException("nodes", null, "one or more base URLs such as https://vault-1:8200");
        }
        List<URI> uris = new ArrayList<>();
        for (String n : nodes) {
            uris.add(parseNode(n));
        }
        return nodeUris(uris);
    }

    /** @param nodes base URLs of the cluster's nodes, see {@link #nodes(String...)} */
    public PoolConfigBuilder nodes(List<String> nodes) {
        return nodes(nodes == null ? null : nodes.toArray(new String[0]));
    }

    /** @param nodes base URIs of the cluster's nodes: http or https, a host, an optional port, no path, query or user info */
    public PoolConfigBuilder nodeUris(List<URI> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new PoolConfigException("nodes", nodes == null ? null : "[]", "one or more base URLs such as https://vault-1:8200");
        }
        if (nodes.size() > MAX_NODES) {
            throw new PoolConfigException("nodes", nodes.size() + " nodes", "at most " + MAX_NODES + " nodes");
        }
        Set<URI> seen = new LinkedHashSet<>();
        String scheme = null;
        for (URI u : nodes) {
            URI n = normalize(u);
            if (!seen.add(n)) {
                throw new PoolConfigException("nodes", n, "each node listed once");
            }
            if (scheme != null && !scheme.equals(n.getScheme())) {
                throw new PoolConfigException("nodes", seen, "all http or all https, not mixed");
            }
            scheme = n.getScheme();
        }
        this.nodes = List.copyOf(seen);
        return this;
    }

    /** @param size connections kept open per node, 1-10000. Default 10. */
    public PoolConfigBuilder size(int size) {
        this.size = range("size", size, 1, MAX_CONNECTIONS_PER_NODE);
        return this;
    }

    /**
     * @param maxOverflow extra connections per node when all {@code size} are busy, 0-10000. Default 5. A returned
     *                    connection goes to a request waiting for its node first; connections above {@code size} are
     *                    closed once the node has not needed them for {@link #overflowIdleTimeout(Duration)}.
     */
    public PoolConfigBuilder maxOverflow(int maxOverflow) {
        this.maxOverflow = range("maxOverflow", maxOverflow, 0, MAX_CONNECTIONS_PER_NODE);
        return this;
    }

    /** @param timeout the connect timeout (TCP and TLS handshake), positive. Default 30 s. */
    public PoolConfigBuilder timeout(Duration timeout) {
        this.timeout = positive("timeout", timeout);
        return this;
    }

    /** @param maxIdleTime an idle connection older than this is closed; positive. Default 300 s. */
    public PoolConfigBuilder maxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = positive("maxIdleTime", maxIdleTime);
        return this;
    }

    /**
     * @param overflowIdleTimeout how long a node's connections above {@code size} may sit unneeded before they are
     *                            closed, so the pool shrinks back to {@code size} once load drops; positive. Checked once a
     *                            second. Default 5 s.
     */
    public PoolConfigBuilder overflowIdleTimeout(Duration overflowIdleTimeout) {
        this.overflowIdleTimeout = positive("overflowIdleTimeout", overflowIdleTimeout);
        return this;
    }

    /** @param interval period of each node's health probe (jittered by up to 10 %), at least 100 ms. Default 60 s. */
    public PoolConfigBuilder healthCheckInterval(Duration interval) {
        this.healthCheckInterval = atLeast("healthCheckInterval", interval, Duration.ofMillis(100));
        return this;
    }

    /** @param timeout how long one health probe may take, positive. Default 2 s. */
    public PoolConfigBuilder healthCheckTimeout(Duration timeout) {
        this.healthCheckTimeout = positive("healthCheckTimeout", timeout);
        return this;
    }

    /** @param timeout how long a request or {@code getConnection()} waits for a free connection; not negative. Default 5 s. */
    public PoolConfigBuilder borrowTimeout(Duration timeout) {
        this.borrowTimeout = notNegative("borrowTimeout", timeout);
        return this;
    }

    /** @param timeout the overall deadline of a request, retries included; positive. Default 60 s. */
    public PoolConfigBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive("requestTimeout", timeout);
        return this;
    }

    /** @param timeout how long one try on one node may wait for its response; positive. Default 15 s. */
    public PoolConfigBuilder attemptTimeout(Duration timeout) {
        this.attemptTimeout = positive("attemptTimeout", timeout);
        return this;
    }

    /** @param period a connection idle for longer is checked before reuse; zero disables the check. Default 2 s. */
    public PoolConfigBuilder validateAfterInactivity(Duration period) {
        this.validateAfterInactivity = notNegative("validateAfterInactivity", period);
        return this;
    }

    /** @param timeout how long {@code close()} lets requests in flight finish; not negative. Default 10 s. */
    public PoolConfigBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = notNegative("shutdownTimeout", timeout);
        return this;
    }

    /** @param max requests that may wait for a connection before new ones are rejected at once; 1-1000000. Default 1000. */
    public PoolConfigBuilder maxPendingRequests(int max) {
        this.maxPendingRequests = range("maxPendingRequests", max, 1, 1_000_000);
        return this;
    }

    /** @param max the largest response body accepted, in bytes, 1 KiB-1 GiB. Default 8 MiB. */
    public PoolConfigBuilder maxResponseBytes(int max) {
        this.maxResponseBytes = range("maxResponseBytes", max, 1024, 1 << 30);
        return this;
    }

    /** @param threads I/O reactor threads, 1-256. Default the number of processors. */
    public PoolConfigBuilder ioThreads(int threads) {
        this.ioThreads = range("ioThreads", threads, 1, 256);
        return this;
    }

    /** @param prewarm whether {@code size} connections per node are opened at start. Default {@code true}. */
    public PoolConfigBuilder prewarm(boolean prewarm) {
        this.prewarm = prewarm;
        return this;
    }

    /** @param namespace the default {@code X-Vault-Namespace}, or {@code null} for none. Default none. */
    public PoolConfigBuilder namespace(String namespace) {
        if (namespace != null && (namespace.isBlank() || namespace.chars().anyMatch(c -> c < ' ' || c >= 0x7f))) {
            throw new PoolConfigException("namespace", namespace, "a non-blank namespace path of printable ASCII");
        }
        this.namespace = namespace;
        return this;
    }

    /** @param strategy how nodes are chosen. Default {@link BalancingStrategy#VAULT_AWARE}. */
    public PoolConfigBuilder balancingStrategy(BalancingStrategy strategy) {
        if (strategy == null) {
            throw new PoolConfigException("balancingStrategy", null, "one of " + Arrays.toString(BalancingStrategy.values()));
        }
        this.balancingStrategy = strategy;
        return this;
    }

    /** @param read whether reads may go to performance standbys. Default {@code false}. */
    public PoolConfigBuilder readFromStandbys(boolean read) {
        this.readFromStandbys = read;
        return this;
    }

    /**
     * @param consistent whether the {@code X-Vault-Index} states of responses are kept, merged as Vault's Go client merges
     *                   them (newest per cluster; both when neither is newer), sent on reads to standbys (one header line
     *                   each) and 412 retried. Default {@code false}.
     * @return this builder
     */
    public PoolConfigBuilder readYourWrites(boolean consistent) {
        this.readYourWrites = consistent;
        return this;
    }

    /** @param follow whether a 307 to a configured node is followed (once). Default {@code true}. */
    public PoolConfigBuilder followRedirects(boolean follow) {
        this.followRedirects = follow;
        return this;
    }

    /** @param retries tries after the first, 0-20. Default 3. */
    public PoolConfigBuilder maxRetries(int retries) {
        this.maxRetries = range("maxRetries", retries, 0, 20);
        return this;
    }

    /** @param backoff the first retry's delay (doubled each time, full jitter); not negative. Default 50 ms. */
    public PoolConfigBuilder retryBackoff(Duration backoff) {
        this.retryBackoff = notNegative("retryBackoff", backoff);
        return this;
    }

    /** @param max the longest delay between retries; not negative. Default 1 s. */
    public PoolConfigBuilder maxRetryBackoff(Duration max) {
        this.maxRetryBackoff = notNegative("maxRetryBackoff", max);
        return this;
    }

    /** @param ratio retries allowed as a share of requests over the last 10 s, 0.0-1.0. Default 0.2. */
    public PoolConfigBuilder retryBudgetRatio(double ratio) {
        if (!(ratio >= 0.0 && ratio <= 1.0)) {
            throw new PoolConfigException("retryBudgetRatio", ratio, "0.0-1.0");
        }
        this.retryBudgetRatio = ratio;
        return this;
    }

    /** @param min retries per second always allowed whatever the ratio, 0-100000. Default 10. */
    public PoolConfigBuilder retryBudgetMinPerSecond(int min) {
        this.retryBudgetMinPerSecond = range("retryBudgetMinPerSecond", min, 0, 100_000);
        return this;
    }

    /** @param failures consecutive failures that open a node's breaker, 1-1000. Default 5. */
    public PoolConfigBuilder circuitBreakerFailureThreshold(int failures) {
        this.circuitBreakerFailureThreshold = range("circuitBreakerFailureThreshold", failures, 1, 1000);
        return this;
    }

    /** @param percent failure rate over the window that opens a node's breaker, 1-100. Default 50. */
    public PoolConfigBuilder circuitBreakerFailureRateThreshold(int percent) {
        this.circuitBreakerFailureRateThreshold = range("circuitBreakerFailureRateThreshold", percent, 1, 100);
        return this;
    }

    /** @param min requests in the window before the failure rate is judged, 1-100000. Default 20. */
    public PoolConfigBuilder circuitBreakerMinimumRequests(int min) {
        this.circuitBreakerMinimumRequests = range("circuitBreakerMinimumRequests", min, 1, 100_000);
        return this;
    }

    /** @param window the period over which the failure rate is computed, at least 1 s. Default 10 s. */
    public PoolConfigBuilder circuitBreakerWindow(Duration window) {
        this.circuitBreakerWindow = atLeast("circuitBreakerWindow", window, Duration.ofSeconds(1));
        return this;
    }

    /** @param delay how long an open breaker stays open before it admits trial requests; positive. Default 5 s. */
    public PoolConfigBuilder circuitBreakerDelay(Duration delay) {
        this.circuitBreakerDelay = positive("circuitBreakerDelay", delay);
        return this;
    }

    /** @param trials trial requests a half-open breaker admits; all must succeed to close it; 1-100. Default 3. */
    public PoolConfigBuilder circuitBreakerHalfOpenRequests(int trials) {
        this.circuitBreakerHalfOpenRequests = range("circuitBreakerHalfOpenRequests", trials, 1, 100);
        return this;
    }

    /**
     * @param file a PEM file of the CA certificates that sign the nodes' certificates; they replace the JVM's
     *             trusted CAs. {@code null} for none. Default none (the JVM's trust store). Checked when set
     *             and at {@link #build()}: readable, one or more certificates.
     */
    public PoolConfigBuilder tlsCaFile(Path file) {
        this.tlsCaFile = TlsChecks.readable("tlsCaFile", file);
        return this;
    }

    /** @param pem like {@link #tlsCaFile(Path)}, the PEM text itself; {@code null} for none. Default none. */
    public PoolConfigBuilder tlsCaPem(String pem) {
        if (pem != null) {
            dev.vaultx.pool.internal.Pem.certificates("tlsCaPem", TlsChecks.shownPem(pem), pem);
        }
        this.tlsCaPem = pem;
        return this;
    }

    /**
     * @param file a PKCS#12 or JKS keystore whose certificates are trusted (instead of the JVM's), with
     *             {@link #tlsTrustStorePassword(String)}; {@code null} for none. Default none.
     */
    public PoolConfigBuilder tlsTrustStore(Path file) {
        this.tlsTrustStore = TlsChecks.readable("tlsTrustStore", file);
        return this;
    }

    /** @param password the password of {@link #tlsTrustStore(Path)} (a secret: never shown); {@code null} for none. */
    public PoolConfigBuilder tlsTrustStorePassword(String password) {
        this.tlsTrustStorePassword = password;
        return this;
    }

    /**
     * @param file the client certificate (PEM, optionally followed by its chain) for Vault's cert auth, with
     *             {@link #tlsClientKeyFile(Path)}; {@code null} for none. Default none.
     */
    public PoolConfigBuilder tlsClientCertFile(Path file) {
        this.tlsClientCertFile = TlsChecks.readable("tlsClientCertFile", file);
        return this;
    }

    /**
     * @param file the client certificate's private key, a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
     *             ({@code BEGIN RSA PRIVATE KEY}), SEC1 EC ({@code BEGIN EC PRIVATE KEY}), or encrypted PKCS#8
     *             ({@code BEGIN ENCRYPTED PRIVATE KEY}) with {@link #tlsClientKeyPassword(String)}; {@code null} for
     *             none. Default none.
     */
    public PoolConfigBuilder tlsClientKeyFile(Path file) {
        this.tlsClientKeyFile = TlsChecks.readable("tlsClientKeyFile", file);
        return this;
    }

    /**
     * @param password the password of an encrypted PKCS#8 {@link #tlsClientKeyFile(Path)} (a secret: never shown);
     *                 {@code null} for none. Default none. Checked at {@link #build()}: set only for an encrypted key.
     */
    public PoolConfigBuilder tlsClientKeyPassword(String password) {
        this.tlsClientKeyPassword = password;
        return this;
    }

    /**
     * @param dir a directory of PEM files of CA certificates (as Vault's {@code VAULT_CAPATH}): every regular
     *            file directly in it is read, and together they replace the JVM's trusted CAs. {@code null} for
     *            none. Default none. Only one of {@code tlsCaFile}, {@code tlsCaPem}, {@code tlsCaPath},
     *            {@code tlsTrustStore}.
     */
    public PoolConfigBuilder tlsCaPath(Path dir) {
        if (dir != null && (!java.nio.file.Files.isDirectory(dir) || !java.nio.file.Files.isReadable(dir))) {
            throw new PoolConfigException("tlsCaPath", dir, "a readable directory of PEM CA certificate files");
        }
        this.tlsCaPath = dir;
        return this;
    }

    /**
     * @param serverName the host name to send in SNI and to verify the nodes' certificates against, instead of
     *                   each node's own host (as Vault's {@code VAULT_TLS_SERVER_NAME}), e.g. when the nodes are
     *                   addressed by IP but their certificates name {@code vault.example.com}; {@code null} for
     *                   each node's host. Default none.
     */
    public PoolConfigBuilder tlsServerName(String serverName) {
        if (serverName != null && !HOST_NAME.matcher(serverName).matches()) {
            throw new PoolConfigException("tlsServerName", serverName, "a DNS host name such as vault.example.com");
        }
        this.tlsServerName = serverName == null ? null : serverName.toLowerCase(Locale.ROOT);
        return this;
    }

    /**
     * @param file a PKCS#12 or JKS keystore holding the client's private key and certificate (instead of the
     *             two PEM files), with {@link #tlsKeyStorePassword(String)}; {@code null} for none. Default none.
     */
    public PoolConfigBuilder tlsKeyStore(Path file) {
        this.tlsKeyStore = TlsChecks.readable("tlsKeyStore", file);
        return this;
    }

    /** @param password the password of {@link #tlsKeyStore(Path)} and of its key (a secret: never shown); {@code null} for none. */
    public PoolConfigBuilder tlsKeyStorePassword(String password) {
        this.tlsKeyStorePassword = password;
        return this;
    }

    /**
     * @param skip {@code true} to accept a node certificate issued for another host name (its chain is still
     *             verified); for tests only, logged as a warning when the pool starts. Default {@code false}.
     */
    public PoolConfigBuilder insecureSkipHostnameVerification(boolean skip) {
        this.insecureSkipHostnameVerification = skip;
        return this;
    }

    /** @param version {@code HTTP_1_1}, or {@code HTTP_2} negotiated by ALPN (https nodes only). Default {@link HttpVersion#HTTP_1_1}. */
    public PoolConfigBuilder httpVersion(HttpVersion version) {
        if (version == null) {
            throw new PoolConfigException("httpVersion", null, "one of " + Arrays.toString(HttpVersion.values()));
        }
        this.httpVersion = version;
        return this;
    }

    /**
     * @return the configuration
     * @throws PoolConfigException if {@code nodes} is missing, keys conflict, or a TLS file is unreadable, does
     *         not parse or does not open with its password
     */
    public PoolConfig build() {
        if (nodes.isEmpty()) {
            throw new PoolConfigException("nodes", "[]", "one or more base URLs such as https://vault-1:8200");
        }
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new PoolConfigException("maxRetryBackoff", maxRetryBackoff, ">= retryBackoff (" + retryBackoff + ")");
        }
        TlsChecks.validate(this);
        return new PoolConfig(this);
    }

    static URI parseNode(String node) {
        if (node == null || node.isBlank()) {
            throw new PoolConfigException("nodes", node, "a base URL such as https://vault-1:8200");
        }
        try {
            return normalize(new URI(node.trim()));
        } catch (URISyntaxException e) {
            throw new PoolConfigException("nodes", redactUserInfo(node), "a base URL such as https://vault-1:8200");
        }
    }

    /** @return the node as text with any user info (a password, perhaps) shown as {@code <redacted>} */
    static String redactUserInfo(Object node) {
        String s = String.valueOf(node);
        int scheme = s.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = s.length();
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int at = s.lastIndexOf('@', end - 1);
        return at < start ? s : s.substring(0, start) + "<redacted>" + s.substring(at);
    }

    static URI normalize(URI u) {
        String expected = "http:// or https:// with a host and optional port, no path, query or user info";
        if (u == null) {
            throw new PoolConfigException("nodes", null, expected);
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = ("http".equals(scheme) || "https".equals(scheme)) && u.getHost() != null && u.getUserInfo() == null
                && (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
                && u.getRawQuery() == null && u.getRawFragment() == null && u.getPort() <= 65535;
        if (!ok) {
            throw new PoolConfigException("nodes", redactUserInfo(u), expected);
        }
        int port = u.getPort() >= 0 ? u.getPort() : ("https".equals(scheme) ? 443 : 80);
        if (port == 0) {
            throw new PoolConfigException("nodes", u, "a port between 1 and 65535");
        }
        return URI.create(scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    }

    private static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new PoolConfigException(key, value, min + "-" + max);
        }
        return value;
    }

    private static Duration positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new PoolConfigException(key, d, "a positive duration");
        }
        return d;
    }

    private static Duration notNegative(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new PoolConfigException(key, d, "a duration >= 0");
        }
        return d;
    }

    private static Duration atLeast(String key, Duration d, Duration min) {
        if (d == null || d.compareTo(min) < 0) {
            throw new PoolConfigException(key, d, "a duration >= " + min);
        }
        return d;
    }
}
