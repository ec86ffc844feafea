package dev.vaultx.pool.impl.tls;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bare JDK TLS server on 127.0.0.1 that records what each handshake carried (SNI host name, protocol)
 * and answers every HTTP/1.1 request with an active Vault's health body, closing the connection after.
 * For what WireMock does not show: the client's SNI and the negotiated TLS version.
 */
final class RawTlsServer implements AutoCloseable {

    /** What one handshake carried. */
    record Handshake(String sniHostName, String protocol) {
    }

    private static final String HEALTH = "{\"initialized\":true,\"sealed\":false,\"standby\":false,\"performance_standby\":false,"
            + "\"replication_performance_mode\":\"disabled\",\"replication_dr_mode\":\"disabled\",\"server_time_utc\":1700000000,"
            + "\"version\":\"1.19.5\",\"cluster_name\":\"raw\",\"cluster_id\":\"raw-cluster\"}";

    private final SSLServerSocket socket;
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /**
     * @param keyStore the server identity (PKCS#12)
     * @param protocols the TLS versions the server accepts, e.g. {@code TLSv1.2}
     */
    RawTlsServer(Path keyStore, String password, String... protocols) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(keyStore.toFile(), password.toCharArray()), password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        socket.setEnabledProtocols(protocols);
        acceptor = new Thread(this::acceptLoop, "raw-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    List<Handshake> handshakes() {
        return List.copyOf(handshakes);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) socket.accept();
                Thread t = new Thread(() -> serve(s), "raw-tls-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SSLSocket s) {
        try (s) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            ExtendedSSLSession session = (ExtendedSSLSession) s.getSession();
            String sni = null;
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    sni = host.getAsciiName();
                }
            }
            handshakes.add(new Handshake(sni, session.getProtocol()));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    byte[] body = HEALTH.getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away (prewarmed connection closed unused, or a refused handshake)
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
