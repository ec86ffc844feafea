package dev.vaultx.pool.testkit;

import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.testkit.internal.NodeServer;
import dev.vaultx.pool.testkit.internal.NodeState;
import dev.vaultx.pool.testkit.internal.TransportFault;
import dev.vaultx.pool.testkit.tls.HttpsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One node of a {@link SimulatedVaultCluster}: a WireMock server on 127.0.0.1 that plays a Vault
 * server in some {@link NodeRole}, with injectable faults and a request journal.
 *
 * <p><b>Scope of faults.</b> {@link #stop()}, {@link #blackhole()}, {@link #slow(Duration)},
 * {@link #reset()} and {@link #garbage()} hit every path, {@code /v1/sys/health} included (a dead node
 * is dead). {@link #truncateBody()}, {@link #failWith(int, int)}, {@link #rateLimit(int, String)} and
 * {@link #redirectTo(URI)} hit only the other API paths. One transport fault (blackhole, reset,
 * garbage, truncate) is active at a time; the last one set wins. {@link #clearFaults()} removes every
 * fault but does not restart a stopped node.
 *
 * <p>This class is thread-safe: roles, faults and the journal may be changed while requests are served.
 */
public final class SimulatedVaultNode {

    private final NodeState state;
    private final NodeServer server;

    SimulatedVaultNode(NodeState state) {
        this.state = state;
        this.server = new NodeServer(state);
    }

    /** @return the position of this node in its cluster, from 0 */
    public int index() {
        return state.index();
    }

    /**
     * @return the base URI {@code http://127.0.0.1:PORT}, or {@code https://...} for a node serving HTTPS; stable
     *         across {@link #stop()} and {@link #start()}
     */
    public URI uri() {
        return state.uri();
    }

    /** @return the TCP port; stable across {@link #stop()} and {@link #start()} */
    public int port() {
        return server.port();
    }

    /** @return the role this node plays now */
    public NodeRole role() {
        return state.role();
    }

    /**
     * Changes the role. Making this node {@link NodeRole#ACTIVE} turns the previous active node into a
     * {@link NodeRole#STANDBY}.
     *
     * @param role any role except {@link NodeRole#UNKNOWN} and {@link NodeRole#UNREACHABLE} (use
     *             {@link #stop()} or {@link #blackhole()} for an unreachable node)
     * @throws IllegalArgumentException for {@code UNKNOWN} or {@code UNREACHABLE}
     */
    public void setRole(NodeRole role) {
        state.cluster().changeRole(state, role);
    }

    /** Seals the node: health 503, API requests 503 {@code Vault is sealed}. An active node leaves the cluster without a leader. */
    public void seal() {
        setRole(NodeRole.SEALED);
    }

    /** Unseals a sealed node, which comes back as a {@link NodeRole#STANDBY}. No-op for other roles. */
    public void unseal() {
        if (state.role() == NodeRole.SEALED) {
            setRole(NodeRole.STANDBY);
        }
    }

    /** An active node becomes a standby, leaving the cluster without a leader. No-op for other roles. */
    public void stepDown() {
        if (state.role() == NodeRole.ACTIVE) {
            setRole(NodeRole.STANDBY);
        }
    }

    /** Makes this node the active node; the previous active node becomes a standby. */
    public void becomeActive() {
        setRole(NodeRole.ACTIVE);
    }

    /**
     * Starts the node again on its port (no-op when running). Roles, faults, data and journal are kept.
     *
     * @throws IllegalStateException if the port has been taken by someone else meanwhile
     */
    public void start() {
        server.start();
    }

    /**
     * Changes how the node serves HTTPS, from its next {@link #start()} or {@link #restart()} on (e.g. a new
     * server certificate). Going from HTTPS to plain HTTP or back changes {@link #uri()}'s scheme at that start.
     *
     * @param options the HTTPS options, or {@code null} for plain HTTP
     * @return this node
     */
    public SimulatedVaultNode https(HttpsOptions options) {
        server.https(options);
        return this;
    }

    /** Stops the node: the port is closed, so connecting fails with "connection refused". No-op when stopped. */
    public void stop() {
        server.stop();
    }

    /** Stops and starts the node on the same port; open connections are dropped. */
    public void restart() {
        server.stop();
        server.start();
    }

    /** @return whether the node's port is open */
    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Accepts connections and requests but never answers (the response is delayed by an hour without
     * holding a server thread). Applies to every path. {@link #clearFaults()} heals the node for new
     * requests; requests already waiting keep waiting until the node stops.
     *
     * @return this node
     */
    public SimulatedVaultNode blackhole() {
        state.faults().transport(TransportFault.BLACKHOLE);
        return this;
    }

    /**
     * Delays every response, {@code sys/health} included.
     *
     * @param delay the delay; {@link Duration#ZERO} removes it
     * @return this node
     */
    public SimulatedVaultNode slow(Duration delay) {
        state.faults().slow(Objects.requireNonNull(delay, "delay"));
        return this;
    }

    /**
     * Delays the responses to requests whose path starts with a prefix, after they are made (a write is done, and
     * its {@code X-Vault-Index} taken, before the wait): to make responses arrive in another order than their
     * requests. One prefix at a time; adds to {@link #slow(Duration)}.
     *
     * @param pathPrefix the path prefix, e.g. {@code /v1/secret/data/first}
     * @param delay the delay; {@link Duration#ZERO} removes it
     * @return this node
     */
    public SimulatedVaultNode slowPath(String pathPrefix, Duration delay) {
        state.faults().slowPath(pathPrefix, Objects.requireNonNull(delay, "delay"));
        return this;
    }

    /**
     * Resets every connection (TCP RST) after reading the request, {@code sys/health} included.
     *
     * @return this node
     */
    public SimulatedVaultNode reset() {
        state.faults().transport(TransportFault.CONNECTION_RESET);
        return this;
    }

    /**
     * Answers every request, {@code sys/health} included, with random bytes instead of HTTP, then closes.
     *
     * @return this node
     */
    public SimulatedVaultNode garbage() {
        state.faults().transport(TransportFault.RANDOM_DATA);
        return this;
    }

    /**
     * Answers API requests (not {@code sys/health}) with a 200 header and a malformed chunked body.
     *
     * @return this node
     */
    public SimulatedVaultNode truncateBody() {
        state.faults().transport(TransportFault.MALFORMED_CHUNK);
        return this;
    }

    /**
     * Makes the next {@code count} API requests (not {@code sys/health}) fail with a status and Vault's
     * error body {@code {"errors":["..."]}} with a typical message for that status.
     *
     * @param status the HTTP status, 100..999
     * @param count how many requests; {@code < 0} until {@link #clearFaults()}, {@code 0} clears
     * @return this node
     */
    public SimulatedVaultNode failWith(int status, int count) {
        return failWith(status, count, VaultErrors.defaultMessage(status));
    }

    /**
     * Like {@link #failWith(int, int)} with a chosen error message.
     *
     * @param status the HTTP status, 100..999
     * @param count how many requests; {@code < 0} until {@link #clearFaults()}, {@code 0} clears
     * @param message the error message, or {@code null} for {@code {"errors":[]}}
     * @return this node
     */
    public SimulatedVaultNode failWith(int status, int count, String message) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be 100..999: " + status);
        }
        state.faults().failWith(status, message, count);
        return this;
    }

    /**
     * Rejects the next {@code count} API requests (not {@code sys/health}, which Vault exempts) with
     * {@code 429} and {@code {"errors":["request path \"...\": rate limit quota exceeded"]}}.
     *
     * @param count how many requests; {@code < 0} until {@link #clearFaults()}, {@code 0} clears
     * @param retryAfter the {@code Retry-After} header value (seconds or an HTTP date), or {@code null}
     *                   for none (Vault's default)
     * @return this node
     */
    public SimulatedVaultNode rateLimit(int count, String retryAfter) {
        state.faults().rateLimit(count, retryAfter);
        return this;
    }

    /**
     * Answers API requests (not {@code sys/health}) with {@code 307} and {@code Location} = {@code base}
     * + original path and query.
     *
     * @param base the target, e.g. another node's {@link #uri()}; {@code null} clears
     * @return this node
     */
    public SimulatedVaultNode redirectTo(URI base) {
        state.faults().redirect(base);
        return this;
    }

    /**
     * Replaces the body of {@code GET /v1/sys/health} (the status stays the role's) with raw text,
     * e.g. invalid JSON.
     *
     * @param rawJson the body; {@code null} clears
     * @return this node
     */
    public SimulatedVaultNode healthBody(String rawJson) {
        state.faults().healthBody(rawJson);
        return this;
    }

    /**
     * Removes every injected fault. Does not restart a stopped node and does not change the role.
     *
     * @return this node
     */
    public SimulatedVaultNode clearFaults() {
        state.faults().clear();
        return this;
    }

    /**
     * The recorded requests, oldest first: at most the journal limit of the cluster (older ones are
     * dropped). Empty when the journal is disabled.
     *
     * @return a snapshot
     */
    public List<RecordedRequest> requests() {
        return state.journal().snapshot();
    }

    /** @return the exact number of requests received since start or {@link #resetJournal()}, even with the journal disabled */
    public long requestCount() {
        return state.journal().count();
    }

    /**
     * Counts the recorded requests whose path starts with a prefix.
     *
     * @param pathPrefix e.g. {@code /v1/secret} or {@code /v1/sys/health}
     * @return the count among the recorded requests
     * @throws IllegalStateException when the journal is disabled
     */
    public long requestCount(String pathPrefix) {
        return state.journal().count(Objects.requireNonNull(pathPrefix, "pathPrefix"));
    }

    /** Forgets the recorded requests and resets the counter. */
    public void resetJournal() {
        state.journal().clear();
    }

    @Override
    public String toString() {
        return "SimulatedVaultNode[" + state.index() + " " + state.role() + " " + state.uri()
                + (isRunning() ? "" : " stopped") + "]";
    }
}
