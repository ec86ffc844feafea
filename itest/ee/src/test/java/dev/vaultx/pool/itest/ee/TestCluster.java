package dev.vaultx.pool.itest.ee;

import dev.vaultx.pool.testkit.SimulatedVaultCluster;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The simulated 3-node Vault cluster of the test JVM (the Arquillian client side), on 127.0.0.1,
 * shared by every test class of a container run. Pools in the server (or in Weld, in this JVM)
 * reach it over loopback; a JVM shutdown hook stops it.
 */
final class TestCluster {

    /** A secret every test WAR reads: only this cluster serves it. */
    static final String SECRET_PATH = "itest/app";
    static final String SECRET_MARKER = "served-by-the-test-jvm-cluster";

    private static SimulatedVaultCluster cluster;

    private TestCluster() {
    }

    static synchronized SimulatedVaultCluster get() {
        if (cluster == null) {
            SimulatedVaultCluster c = SimulatedVaultCluster.start(3);
            c.put(SECRET_PATH, Map.of("owner", SECRET_MARKER));
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "itest-cluster-stop"));
            cluster = c;
        }
        return cluster;
    }

    /** @return the nodes as {@code vaultx.pool.<name>.nodes} wants them: comma-separated base URLs */
    static String nodes() {
        return get().urls().stream().map(URI::toString).collect(Collectors.joining(","));
    }
}
