package dev.vaultx.pool.testkit;

import dev.vaultx.pool.NodeRole;
import dev.vaultx.pool.testkit.internal.ClusterSettings;
import dev.vaultx.pool.testkit.internal.ClusterState;
import dev.vaultx.pool.testkit.internal.KvStore;
import dev.vaultx.pool.testkit.internal.NodeState;
import dev.vaultx.pool.testkit.tls.HttpsOptions;
import dev.vaultx.pool.testkit.tls.TestPki;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A simulated Vault cluster: N {@link SimulatedVaultNode}s on free 127.0.0.1 ports that share one
 * cluster identity and one KV v2 store, with at most one active node.
 *
 * <p>{@link #start(int)} makes node 0 {@link NodeRole#ACTIVE} and the others {@link NodeRole#STANDBY};
 * {@link #builder()} gives every other option. Leader elections are played with
 * {@link #electLeader(int)} and {@link #stepDown()}; roles never change by themselves, so after
 * {@code node(0).stop()} node 0 keeps the ACTIVE role (and standbys keep forwarding, which is simulated
 * from the shared data) until you elect another node. {@link #close()} stops every node promptly, even
 * blackholed ones.
 *
 * <p>This class is thread-safe.
 */
public final class SimulatedVaultCluster implements AutoCloseable {

    private final ClusterState state;
    private final List<SimulatedVaultNode> nodes;

    private SimulatedVaultCluster(ClusterState state, List<SimulatedVaultNode> nodes) {
        this.state = state;
        this.nodes = Collections.unmodifiableList(nodes);
    }

    /**
     * Starts a cluster with default options: node 0 active, the others standbys that forward.
     *
     * @param nodes the number of nodes, at least 1
     * @return the running cluster
     */
    public static SimulatedVaultCluster start(int nodes) {
        return builder().nodes(nodes).start();
    }

    /** @return a builder for a cluster with custom options */
    public static Builder builder() {
        return new Builder();
    }

    /** @return all nodes in index order (unmodifiable) */
    public List<SimulatedVaultNode> nodes() {
        return nodes;
    }

    /**
     * One node.
     *
     * @param index the index, from 0
     * @return the node
     * @throws IndexOutOfBoundsException for a bad index
     */
    public SimulatedVaultNode node(int index) {
        return nodes.get(index);
    }

    /** @return the number of nodes */
    public int size() {
        return nodes.size();
    }

    /** @return the base URIs {@code http://127.0.0.1:PORT} (or {@code https://...}) of all nodes, in index order */
    public List<URI> urls() {
        List<URI> urls = new ArrayList<>(nodes.size());
        for (SimulatedVaultNode n : nodes) {
            urls.add(n.uri());
        }
        return Collections.unmodifiableList(urls);
    }

    /** @return the node that is active now, if any */
    public Optional<SimulatedVaultNode> active() {
        return state.active().map(n -> nodes.get(n.index()));
    }

    /**
     * Plays a leader election: node {@code index} becomes active, the previous active node a standby.
     *
     * @param index the index of the new active node
     * @return the new active node
     */
    public SimulatedVaultNode electLeader(int index) {
        SimulatedVaultNode node = node(index);
        node.becomeActive();
        return node;
    }

    /** The active node steps down to standby; until {@link #electLeader(int)} there is no active node. */
    public void stepDown() {
        state.stepDown();
    }

    /**
     * Seeds or overwrites a KV v2 secret, as a {@code POST /v1/secret/data/<path>} would.
     *
     * @param path the secret path below {@code secret/data/}, e.g. {@code app/db}
     * @param data the key/value data (shallow-copied)
     * @return the new version number
     */
    public int put(String path, Map<String, ?> data) {
        Objects.requireNonNull(path, "path");
        return state.kv().write(path, new LinkedHashMap<String, Object>(Objects.requireNonNull(data, "data"))).version();
    }

    /**
     * Reads the current data of a KV v2 secret, bypassing HTTP.
     *
     * @param path the secret path below {@code secret/data/}
     * @return the data (unmodifiable), or empty when absent or deleted
     */
    public Optional<Map<String, Object>> secret(String path) {
        return state.kv().read(Objects.requireNonNull(path, "path")).map(KvStore.Secret::data);
    }

    /** @return the {@code cluster_id} reported by unsealed nodes */
    public String clusterId() {
        return state.settings().clusterId();
    }

    /** @return the {@code cluster_name} reported by unsealed nodes */
    public String clusterName() {
        return state.settings().clusterName();
    }

    /** @return the {@code version} reported by the nodes */
    public String version() {
        return state.settings().version();
    }

    /** @return the exact number of requests all nodes received since start or their last journal reset */
    public long totalRequests() {
        return nodes.stream().mapToLong(SimulatedVaultNode::requestCount).sum();
    }

    /**
     * Counts the recorded requests of all nodes whose path starts with a prefix.
     *
     * @param pathPrefix e.g. {@code /v1/secret}
     * @return the sum over all nodes
     * @throws IllegalStateException when the journal is disabled
     */
    public long totalRequests(String pathPrefix) {
        return nodes.stream().mapToLong(n -> n.requestCount(pathPrefix)).sum();
    }

    /** Resets the journal of every node. */
    public void resetJournals() {
        nodes.forEach(SimulatedVaultNode::resetJournal);
    }

    /** Clears the faults of every node (stopped nodes stay stopped). */
    public void clearFaults() {
        nodes.forEach(SimulatedVaultNode::clearFaults);
    }

    /** Stops every node. Idempotent; returns promptly even when nodes are blackholed or slow. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (SimulatedVaultNode n : nodes) {
            try {
                n.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "SimulatedVaultCluster" + nodes;
    }

    /**
     * Options of a {@link SimulatedVaultCluster}. Not thread-safe: configure on one thread, then call
     * {@link #start()}.
     */
    public static final class Builder {

        private int nodes = 3;
        private NodeRole[] roles;
        private String clusterId = UUID.randomUUID().toString();
        private String clusterName;
        private String version;
        private StandbyMode standbyMode = StandbyMode.FORWARD;
        private boolean openBao;
        private String token;
        private boolean vaultIndex;
        private boolean journal = true;
        private int journalLimit = 10_000;
        private int containerThreads = 50;
        private HttpsOptions https;

        private Builder() {
        }

        /**
         * The number of nodes (default 3): node 0 active, the others standbys, unless {@link #roles} says otherwise.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node: " + count);
            }
            this.nodes = count;
            this.roles = null;
            return this;
        }

        /**
         * The initial role of every node; also sets the number of nodes. At most one may be ACTIVE.
         *
         * @param initialRoles one role per node, e.g. {@code ACTIVE, STANDBY, PERFORMANCE_STANDBY}
         * @return this builder
         */
        public Builder roles(NodeRole... initialRoles) {
            if (initialRoles.length < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node");
            }
            this.roles = initialRoles.clone();
            this.nodes = initialRoles.length;
            return this;
        }

        /**
         * @param id the {@code cluster_id} (default: a random UUID)
         * @return this builder
         */
        public Builder clusterId(String id) {
            this.clusterId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * @param name the {@code cluster_name} (default: {@code vault-cluster-} + 8 hex digits of the id)
         * @return this builder
         */
        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param versionString the {@code version} (default {@code 1.19.5}, or {@code 2.3.1} with {@link #openBao()});
         *                      a version containing {@code +ent} reports {@code "enterprise": true}
         * @return this builder
         */
        public Builder version(String versionString) {
            this.version = Objects.requireNonNull(versionString, "versionString");
            return this;
        }

        /**
         * @param mode whether standbys forward (default) or redirect API requests
         * @return this builder
         */
        public Builder standbyMode(StandbyMode mode) {
            this.standbyMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** @return this builder, with standbys that answer 307 instead of forwarding */
        public Builder redirectStandbys() {
            return standbyMode(StandbyMode.REDIRECT);
        }

        /**
         * Behaves like OpenBao: {@code sys/health} honours only {@code standbyok, activecode, standbycode,
         * sealedcode, uninitcode}, knows only 200/429/501/503 (a performance standby or HA-unhealthy node
         * reports as a standby; DR secondary and removed nodes as sealed) and omits the Vault-only fields.
         *
         * @return this builder
         */
        public Builder openBao() {
            this.openBao = true;
            return this;
        }

        /**
         * @param accepted the only client token accepted on authenticated paths (default: any non-empty token)
         * @return this builder
         */
        public Builder token(String accepted) {
            this.token = Objects.requireNonNull(accepted, "accepted");
            return this;
        }

        /**
         * @param enabled whether writes return a growing {@code X-Vault-Index} header in Vault's format, which Vault's
         *                Go client can parse and compare (default off)
         * @return this builder
         */
        public Builder vaultIndex(boolean enabled) {
            this.vaultIndex = enabled;
            return this;
        }

        /**
         * @param enabled whether nodes record requests (default on); turn off for benchmarks. The exact
         *                request counter keeps running either way.
         * @return this builder
         */
        public Builder journal(boolean enabled) {
            this.journal = enabled;
            return this;
        }

        /**
         * @param maxEntries the most requests each node keeps (default 10,000); older ones are dropped
         * @return this builder
         */
        public Builder journalLimit(int maxEntries) {
            this.journalLimit = maxEntries;
            return this;
        }

        /**
         * @param maxThreads Jetty's thread pool size per node (default 50, at least 10)
         * @return this builder
         */
        public Builder containerThreads(int maxThreads) {
            this.containerThreads = maxThreads;
            return this;
        }

        /**
         * Every node serves HTTPS (only) with the PKI's {@link TestPki#server()} certificate, for
         * {@code 127.0.0.1} and {@code localhost}; {@link #urls()} are {@code https://127.0.0.1:PORT}.
         *
         * @param pki the test PKI, e.g. {@link TestPki#shared()}
         * @return this builder
         */
        public Builder https(TestPki pki) {
            return https(pki.https());
        }

        /**
         * Every node serves HTTPS (only) as the options say: server certificate, client certificates
         * required or not, HTTP/2 offered or not. {@code /v1/sys/health} and the API alike.
         *
         * @param options the options, or {@code null} for plain HTTP (the default)
         * @return this builder
         */
        public Builder https(HttpsOptions options) {
            this.https = options;
            return this;
        }

        /**
         * Starts the cluster.
         *
         * @return the running cluster
         * @throws IllegalArgumentException for inconsistent options (e.g. two ACTIVE roles)
         * @throws IllegalStateException when a node cannot start
         */
        public SimulatedVaultCluster start() {
            String name = clusterName != null ? clusterName
                    : "vault-cluster-" + clusterId.replace("-", "").substring(0, Math.min(8, clusterId.replace("-", "").length()));
            String ver = version != null ? version : (openBao ? "2.3.1" : "1.19.5");
            ClusterState state = new ClusterState(new ClusterSettings(clusterId, name, ver,
                    standbyMode == StandbyMode.REDIRECT, openBao, token, vaultIndex, journal, journalLimit,
                    containerThreads));
            List<NodeRole> initial = roles != null ? Arrays.asList(roles) : defaultRoles(nodes);
            List<SimulatedVaultNode> list = new ArrayList<>();
            for (NodeRole role : initial) {
                NodeState nodeState = state.addNode(role);
                list.add(new SimulatedVaultNode(nodeState).https(https));
            }
            SimulatedVaultCluster cluster = new SimulatedVaultCluster(state, list);
            try {
                list.forEach(SimulatedVaultNode::start);
            } catch (RuntimeException e) {
                try {
                    cluster.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return cluster;
        }

        private static List<NodeRole> defaultRoles(int count) {
            List<NodeRole> list = new ArrayList<>(count);
            list.add(NodeRole.ACTIVE);
            for (int i = 1; i < count; i++) {
                list.add(NodeRole.STANDBY);
            }
            return list;
        }
    }
}
