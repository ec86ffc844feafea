package dev.vaultx.pool.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in nodes' nginx {@code stub_status}, read from outside the client under test (its own JDK
 * connection): how many connections the servers accepted and requests they served. Counting on the
 * server side is what shows whether a client keeps its connections: its own counters could be wrong.
 */
final class ServerStatus {

    /** {@code Active connections: 1 \n server accepts handled requests \n 12 12 34 \n ...} */
    private static final Pattern COUNTS = Pattern.compile("accepts handled requests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

    private final String url;

    private ServerStatus(String url) {
        this.url = url;
    }

    /** @param url the status URL, or {@code null} for none (every reading is then -1) */
    static ServerStatus of(String url) {
        return new ServerStatus(url);
    }

    /** @return connections accepted by the servers so far, or -1 if unknown */
    long accepts() {
        long[] c = read();
        return c == null ? -1 : c[0];
    }

    /** @return requests served so far, or -1 if unknown */
    long requests() {
        long[] c = read();
        return c == null ? -1 : c[2];
    }

    private long[] read() {
        if (url == null) {
            return null;
        }
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestProperty("Connection", "close");
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                Matcher m = COUNTS.matcher(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
                if (!m.find()) {
                    return null;
                }
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
            } finally {
                c.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("server status " + url + " not readable: " + e);
            return null;
        }
    }
}
