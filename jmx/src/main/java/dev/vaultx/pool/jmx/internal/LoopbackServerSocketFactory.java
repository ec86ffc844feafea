package dev.vaultx.pool.jmx.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server sockets bound to 127.0.0.1 only ({@code LocateRegistry.createRegistry(port)} alone binds all
 * interfaces), which remember what they accepted so that {@link #closeAccepted()} can free the port.
 *
 * <p>Equality: RMI shares one listening port between objects exported with <em>equal</em> factories
 * (BUILD-FACTS §5), and caches its endpoints by factory equality. The registry and the connector of
 * one server get the same instance, so they share the port; two servers (say, one stopped and one
 * started again on that port) must not be equal, or RMI would give the new server the old factory and
 * its sockets. Hence {@link #equals}/{@link #hashCode} by identity, stated explicitly.
 *
 * <p>This class is thread-safe.
 */
final class LoopbackServerSocketFactory implements RMIServerSocketFactory {

    static final InetAddress LOOPBACK = loopback();

    private static final int BACKLOG = 50;

    private final Set<ServerSocket> listening = ConcurrentHashMap.newKeySet();
    private final Set<Socket> accepted = ConcurrentHashMap.newKeySet();

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket socket = new TrackingServerSocket(port);
        listening.add(socket);
        return socket;
    }

    /** Closes the listening sockets and every accepted connection still open. */
    void closeAccepted() {
        for (ServerSocket s : listening) {
            closeQuietly(s);
        }
        listening.clear();
        for (Socket s : accepted) {
            closeQuietly(s);
        }
        accepted.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "LoopbackServerSocketFactory[" + LOOPBACK.getHostAddress() + ", " + accepted.size() + " connections]";
    }

    private static InetAddress loopback() {
        try {
            // a literal: no name lookup, and 127.0.0.1 even when the JVM prefers IPv6 (getLoopbackAddress() would give ::1)
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Records accepted connections; forgets closed ones as new ones arrive. */
    private final class TrackingServerSocket extends ServerSocket {

        TrackingServerSocket(int port) throws IOException {
            super(port, BACKLOG, LOOPBACK);
        }

        @Override
        public Socket accept() throws IOException {
            Socket socket = super.accept();
            accepted.removeIf(Socket::isClosed);
            accepted.add(socket);
            return socket;
        }
    }
}
