package dev.vaultx.pool.itest.karaf;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A real Apache Karaf, unpacked by the build into {@code karaf.home}, configured for a headless test and run as a
 * child process with {@code bin/karaf server} (no console, no standard input).
 *
 * <p>What {@link #configure} changes in the distribution's {@code etc/}:
 * <ul>
 * <li>JMX RMI registry and server, and SSH, on free ports of 127.0.0.1 (never all interfaces);</li>
 * <li>the user {@code karaf}/{@code karaf} in the admin group (the distribution ships none), for JMX;</li>
 * <li>{@code management} added to the boot features, so the JMX connector runs;</li>
 * <li>Maven resolution (pax-url-aether) from the distribution's {@code system/} and the staged {@code karaf-repo}
 *     only: no remote repository, and a local repository inside {@code data/}, so Karaf never reads the network or
 *     {@code ~/.m2}.</li>
 * </ul>
 *
 * <p>{@link #close()} stops the process tree (the {@code bin/karaf} script and its JVM): a graceful stop first, then
 * forcibly; a JVM shutdown hook does the same if the test JVM ends without {@code close()}.
 */
final class KarafInstance implements AutoCloseable {

    static final String USER = "karaf";
    static final String PASSWORD = "karaf";

    private final Path home;
    private final int rmiRegistryPort;
    private final int rmiServerPort;
    private final int sshPort;
    private Process process;
    private Thread shutdownHook;

    private KarafInstance(Path home, int rmiRegistryPort, int rmiServerPort, int sshPort) {
        this.home = home;
        this.rmiRegistryPort = rmiRegistryPort;
        this.rmiServerPort = rmiServerPort;
        this.sshPort = sshPort;
    }

    /**
     * Configures the unpacked distribution for the test.
     *
     * @param home the distribution's directory ({@code apache-karaf-minimal-<version>})
     * @param repository a directory in Maven layout with the bundles Karaf may install beyond {@code system/}
     * @return the configured, not yet started, instance
     */
    static KarafInstance configure(Path home, Path repository) throws IOException {
        int[] ports = freeLoopbackPorts(3);
        KarafInstance karaf = new KarafInstance(home, ports[0], ports[1], ports[2]);
        Path etc = home.resolve("etc");

        Files.writeString(etc.resolve("users.properties"), String.join("\n",
                "# the test's JMX user (Karaf 4.4 ships none)",
                USER + " = " + PASSWORD + ",_g_:admingroup",
                "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh", ""), StandardCharsets.ISO_8859_1);

        Files.writeString(etc.resolve("org.apache.karaf.management.cfg"), String.join("\n",
                "rmiRegistryHost = 127.0.0.1",
                "rmiRegistryPort = " + karaf.rmiRegistryPort,
                "rmiServerHost = 127.0.0.1",
                "rmiServerPort = " + karaf.rmiServerPort,
                "jmxRealm = karaf",
                "serviceUrl = service:jmx:rmi://${rmiServerHost}:${rmiServerPort}/jndi/rmi://${rmiRegistryHost}:${rmiRegistryPort}"
                        + "/karaf-${karaf.name}",
                "daemon = true",
                "threaded = true",
                "objectName = connector:name=rmi", ""), StandardCharsets.ISO_8859_1);

        edit(etc.resolve("org.apache.karaf.shell.cfg"), Map.of(
                "(?m)^sshPort\\s*=.*$", "sshPort = " + karaf.sshPort,
                "(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1"));

        // the features file lists config last: management after it (the JMX connector; vaultx-pool is installed by the test)
        edit(etc.resolve("org.apache.karaf.features.cfg"), Map.of(
                "(?m)^(\\s*config/[^,\\s]+)\\s*$", "$1, \\\\\n    management"));

        String staged = repository.toUri().toString().replaceAll("/$", "") + "@id=vaultx.staged@snapshots";
        edit(etc.resolve("org.ops4j.pax.url.mvn.cfg"), Map.of(
                "(?m)^(\\s*\\$\\{karaf\\.base\\.uri}\\$\\{karaf\\.default\\.repository}@id=child\\.system\\.repository@snapshots)\\s*$",
                "$1, \\\\\n    " + Matcher.quoteReplacement(staged),
                "(?ms)^org\\.ops4j\\.pax\\.url\\.mvn\\.repositories\\s*=.*?\\n\\s*\\n",
                Matcher.quoteReplacement("org.ops4j.pax.url.mvn.repositories =\n"
                        + "org.ops4j.pax.url.mvn.localRepository = ${karaf.data}/local-repository\n\n")));
        return karaf;
    }

    /** Starts {@code bin/karaf server}; its console output goes to {@code console.log} in the distribution. */
    KarafInstance start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_MIN_MEM", "64M");
        env.put("JAVA_MAX_MEM", "512M");
        env.put("EXTRA_JAVA_OPTS", "-Djava.rmi.server.hostname=127.0.0.1");
        env.remove("KARAF_NOROOT");
        process = builder.start();
        shutdownHook = new Thread(this::stopProcessTree, "karaf-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        return this;
    }

    /** @return the JMX service URL of Karaf's RMI connector, as JConsole would use it */
    JMXServiceURL jmxServiceUrl() {
        try {
            return new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + rmiServerPort + "/jndi/rmi://127.0.0.1:" + rmiRegistryPort
                    + "/karaf-root");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for Karaf's JMX connector and logs in as {@link #USER}. */
    JMXConnector connectJmx(Duration timeout) {
        Map<String, Object> environment = Map.of(JMXConnector.CREDENTIALS, new String[] {USER, PASSWORD});
        JMXConnector[] connector = new JMXConnector[1];
        await("Karaf's JMX connector on " + jmxServiceUrl()).atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("Karaf exited with " + process.exitValue() + ": " + tail(home.resolve("console.log")));
                    }
                    connector[0] = JMXConnectorFactory.connect(jmxServiceUrl(), environment);
                    return true;
                });
        return connector[0];
    }

    /** @return the file {@code etc/<name>} that Felix fileinstall watches */
    Path etc(String name) {
        return home.resolve("etc").resolve(name);
    }

    /**
     * Replaces (or creates) a file in {@code etc/} in one atomic move, so that fileinstall never reads half a file.
     *
     * @param name the file's name in {@code etc/}
     * @param lines its lines
     */
    void writeEtc(String name, List<String> lines) throws IOException {
        Path staging = Files.createTempFile(home.resolve("data"), "cfg", ".tmp");
        Files.write(staging, lines, StandardCharsets.ISO_8859_1);
        Files.move(staging, etc(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return {@code data/log/karaf.log} as it is now */
    String karafLog() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
        stopProcessTree();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            shutdownHook = null;
        }
    }

    private synchronized void stopProcessTree() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        // SIGTERM first: Karaf's shutdown hook stops the framework (bundles stop, pools close)
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    private static void edit(Path file, Map<String, String> replacements) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            Matcher m = Pattern.compile(r.getKey()).matcher(text);
            if (!m.find()) {
                throw new IllegalStateException(file.getFileName() + ": no line matches " + r.getKey());
            }
            text = m.replaceFirst(r.getValue());
        }
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    }

    private static int[] freeLoopbackPorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
