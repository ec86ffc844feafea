package dev.vaultx.pool.testkit.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;
import dev.vaultx.pool.testkit.tls.HttpsOptions;
import java.net.URI;
import java.util.List;

/**
 * The WireMock server behind one node, bound to 127.0.0.1. The first start takes a free port; later
 * starts reuse it, so a stopped node comes back on the same address. Each start makes a new
 * {@link WireMockServer} (WireMock's asynchronous-response scheduler does not survive a stop), which
 * is why the journal lives in {@link RequestJournal} rather than in WireMock. With {@link HttpsOptions}
 * the server speaks HTTPS only (on the same kind of port). Thread-safe: lifecycle methods are synchronized.
 */
public final class NodeServer {

    /** Loopback only, everywhere. */
    public static final String HOST = "127.0.0.1";

    private final NodeState node;
    private final VaultTransformer transformer;
    private WireMockServer server;
    private int port;
    private HttpsOptions https;

    /**
     * Creates the (stopped) server of a node.
     *
     * @param node the node
     */
    public NodeServer(NodeState node) {
        this.node = node;
        this.transformer = new VaultTransformer(node);
    }

    /** Starts the server unless it runs; binds the node's port (a free one the first time). */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        WireMockServer s = new WireMockServer(options(port));
        try {
            s.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start simulated Vault node " + node.index() + " on "
                    + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        s.stubFor(any(anyUrl()).willReturn(ok()));
        port = https != null ? s.httpsPort() : s.port();
        node.uri(URI.create((https != null ? "https" : "http") + "://" + HOST + ":" + port));
        server = s;
    }

    /**
     * Sets how the server serves HTTPS from its next start on.
     *
     * @param options the HTTPS options, or {@code null} for plain HTTP
     */
    public synchronized void https(HttpsOptions options) {
        this.https = options;
    }

    /** @return the HTTPS options of the next start, or {@code null} for plain HTTP */
    public synchronized HttpsOptions https() {
        return https;
    }

    /** Stops the server: the port is closed and connections are dropped. No-op when stopped. */
    public synchronized void stop() {
        WireMockServer s = server;
        server = null;
        if (s != null) {
            s.stop();
        }
    }

    /** @return whether the server is running */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** @return the port, 0 before the first start */
    public synchronized int port() {
        return port;
    }

    private WireMockConfiguration options(int bindPort) {
        WireMockConfiguration options = common();
        if (https == null) {
            return options.port(bindPort);
        }
        options.httpDisabled(true)
                .httpsPort(bindPort)
                .keystorePath(https.keyStore().toAbsolutePath().toString())
                .keystoreType("PKCS12")
                .keystorePassword(https.keyStorePassword())
                .keyManagerPassword(https.keyStorePassword())
                .http2TlsDisabled(!https.http2());
        if (https.needClientAuth()) {
            options.needClientAuth(true)
                    .trustStorePath(https.trustStore().toAbsolutePath().toString())
                    .trustStoreType("PKCS12")
                    .trustStorePassword(https.trustStorePassword());
        }
        return options;
    }

    private WireMockConfiguration common() {
        int threads = node.cluster().settings().containerThreads();
        return WireMockConfiguration.options()
                .bindAddress(HOST)
                .notifier(new ConsoleNotifier(false))
                .extensionScanningEnabled(false)
                .extensions(transformer)
                .mappingSource(NoMappings.INSTANCE)
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .gzipDisabled(true)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .containerThreads(threads)
                .jettyAcceptors(1)
                .jettyAcceptQueueSize(256)
                .jettyIdleTimeout(300_000L)
                .jettyStopTimeout(0L);
    }

    /** Loads and saves no stub files, so a user's {@code src/test/resources/mappings} is never read. */
    @SuppressWarnings("removal")
    private enum NoMappings implements MappingsSource {
        INSTANCE;

        @Override
        public void loadMappingsInto(StubMappings stubMappings) {
        }

        @Override
        public void save(List<StubMapping> stubMappings) {
        }

        @Override
        public void save(StubMapping stubMapping) {
        }

        @Override
        public void remove(StubMapping stubMapping) {
        }

        @Override
        public void removeAll() {
        }
    }
}
