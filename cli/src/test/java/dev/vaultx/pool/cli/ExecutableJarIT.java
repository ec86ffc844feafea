package dev.vaultx.pool.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the shaded jar as a user would: {@code java -jar target/vaultx-pool.jar ...} (failsafe, after package). */
class ExecutableJarIT {

    private static final Path JAR = Path.of(System.getProperty("vaultx.cli.jar", "target/vaultx-pool.jar"));

    record Result(int exitCode, String out, String err) {
    }

    private static Result java(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar").isRegularFile();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("vaultx-cli", ".out");
        Path err = Files.createTempFile("vaultx-cli", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out: " + cmd + "\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpExitsZero() throws Exception {
        Result r = java("--help");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Usage: vaultx-pool", "demo", "probe", "load");
    }

    @Test
    void badArgumentsExitTwo() throws Exception {
        Result r = java("load", "--nodes", "ftp://x", "--path", "/v1/x");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--nodes': nodes: ftp://x");
    }

    @Test
    void probeJsonPrintsOnlyJsonAndLogsNothing() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Result r = java("probe", "--json", "--timeout", "1s", "--nodes", "http://127.0.0.1:" + closedPort);

        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, Object> json = CliRun.parseOneObject(r.out());
        assertThat(json.get("reachable")).isEqualTo(0L);
        assertThat(r.out()).contains("UNREACHABLE");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void demoRunsFromTheJarWithTheSimulatedClusterAndTheSlf4jProvider() throws Exception {
        Result r = java("demo", "--duration", "2s", "--no-fault", "--jmx-port", "-1", "--concurrency", "4");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("result: 0 failed requests");
        assertThat(r.err()).as("slf4j-simple is found inside the jar").doesNotContain("SLF4J")
                .contains("INFO PoolCore - demo - started with 3 nodes");
    }
}
