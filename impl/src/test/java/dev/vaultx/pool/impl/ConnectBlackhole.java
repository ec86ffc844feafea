package dev.vaultx.pool.impl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that black-holes connections: it listens but never accepts, and its accept queue is filled at
 * once, so that every later connect gets no answer at all (the kernel drops its SYN) and hangs until the client's
 * connect timeout. Unlike the testkit's {@code blackhole()}, which accepts and never answers a request, nothing
 * here ever connects. Only 127.0.0.1.
 */
public final class ConnectBlackhole implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private ConnectBlackhole(ServerSocket server) {
        this.server = server;
    }

    /**
     * @param port the port to take (e.g. a stopped node's), or 0 for any
     * @return the black hole, its accept queue full
     */
    public static ConnectBlackhole bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        ConnectBlackhole hole = new ConnectBlackhole(s);
        for (int i = 0; i < 16; i++) {
            Socket c = new Socket();
            try {
                c.connect(s.getLocalSocketAddress(), 200);
                hole.fillers.add(c);
            } catch (SocketTimeoutException full) {
                c.close();
                return hole; // the queue is full: connects hang from now on
            }
        }
        hole.close();
        throw new IOException("the accept queue of port " + s.getLocalPort() + " never filled");
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        for (Socket c : fillers) {
            c.close();
        }
        server.close();
    }
}
