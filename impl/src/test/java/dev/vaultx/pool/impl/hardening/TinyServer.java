package dev.vaultx.pool.impl.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 for the shapes WireMock cannot make: a body larger than declared
 * limits, headers that never end, bytes that echo the request. It answers {@code /v1/sys/health} as an
 * active Vault node (so the pool routes to it), or with the body it is given, and hands every other request to a
 * {@link Handler}.
 * One daemon thread per connection; {@link #close()} closes every socket. Records every request.
 *
 * <p>This class is thread-safe.
 */
final class TinyServer implements AutoCloseable {

    /** A request as read from the socket. Header names are lower-case. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
    }

    /** Answers one API request. */
    interface Handler {
        /**
         * @return {@code true} to keep the connection for the next request, {@code false} to close it
         */
        boolean handle(Request request, byte[] rawHead, OutputStream out) throws IOException;
    }

    static final String ACTIVE_HEALTH = "{\"initialized\":true,\"sealed\":false,\"standby\":false,"
            + "\"performance_standby\":false,\"replication_performance_mode\":\"disabled\","
            + "\"replication_dr_mode\":\"disabled\",\"server_time_utc\":1700000000,\"version\":\"1.19.5\","
            + "\"cluster_name\":\"tiny\",\"cluster_id\":\"tiny-cluster\"}";

    private final ServerSocket server;
    private final String healthBody;
    private final Handler handler;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TinyServer(String healthBody, Handler handler) throws IOException {
        this.healthBody = healthBody;
        this.handler = handler;
        this.server = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        Thread accept = new Thread(this::accept, "tiny-server-accept-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    static TinyServer start(Handler handler) {
        return start(ACTIVE_HEALTH, handler);
    }

    /** @param healthBody what {@code /v1/sys/health} answers, e.g. {@link #ACTIVE_HEALTH} */
    static TinyServer start(String healthBody, Handler handler) {
        try {
            return new TinyServer(healthBody, handler);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a tiny server", e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** @return the API requests received (not health probes) */
    List<Request> apiRequests() {
        return requests.stream().filter(r -> !r.path().startsWith("/v1/sys/health")).toList();
    }

    /** @return connections open now */
    int openConnections() {
        return sockets.size();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "tiny-server-conn-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                Request r = read(in, raw);
                if (r == null) {
                    return;
                }
                requests.add(r);
                boolean keep;
                if (r.path().startsWith("/v1/sys/health")) {
                    respond(out, 200, healthBody);
                    keep = true;
                } else {
                    keep = handler.handle(r, raw.toByteArray(), out);
                }
                out.flush();
                if (!keep) {
                    return;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away or the server closes
        } finally {
            sockets.remove(s);
        }
    }

    /** Writes a complete JSON response with a Content-Length. */
    static void respond(OutputStream out, int status, String json) throws IOException {
        respond(out, status, json, "");
    }

    /**
     * Writes a complete JSON response with a Content-Length and more header lines.
     *
     * @param headerLines e.g. {@code "X-Vault-Index: abc\r\n"}, each line ending in CRLF
     */
    static void respond(OutputStream out, int status, String json, String headerLines) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n" + headerLines + "Content-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
    }

    private static Request read(InputStream in, ByteArrayOutputStream raw) throws IOException {
        String line = line(in, raw);
        while (line != null && line.isEmpty()) {
            line = line(in, raw);
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in, raw)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        raw.write(body);
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
    }

    private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            raw.write(c);
            if (c == '\n') {
                int n = s.length();
                return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
            }
            s.append((char) c);
        }
        return s.length() == 0 ? null : s.toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : new ArrayList<>(sockets)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
