package dev.vaultx.pool.cli;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    private static final Pattern JCONSOLE =
            Pattern.compile("JMX: jconsole (service:jmx:rmi://127\\.0\\.0\\.1:(\\d+)/jndi/rmi://127\\.0\\.0\\.1:\\2/jmxrmi)");

    @Test
    void shortDemoRidesThroughTheFailoverWithoutFailedRequestsAndOffersJmx() throws Exception {
        StringWriter live = new StringWriter();
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(
                () -> CliRun.run(name -> null, live, "demo", "--duration", "6s", "--jmx-port", "0", "--concurrency", "16"));

        // attach to the printed JConsole address while the demo runs
        Matcher m = JCONSOLE.matcher("");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!m.reset(live.toString()).find() && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("JConsole address in:\n%s", live).isTrue();
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(m.group(1)))) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            assertThat(mbs.isRegistered(new ObjectName("dev.vaultx:type=ConnectionPool,name=\"demo\""))).isTrue();
        }

        CliRun r = run.get(40, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains(">>> t=2s: stopping the active node", ">>> t=4s: node", "is back, as a standby");
        assertThat(out).containsPattern("t=  6s  pool ");
        assertThat(out).containsPattern("(?m)^  http://127\\.0\\.0\\.1:\\d+ +(ACTIVE|STANDBY|UNREACHABLE|UNKNOWN) +(CLOSED|OPEN|HALF_OPEN) ");
        assertThat(out).containsPattern("requests: [1-9]\\d* in [\\d.]+ s \\(\\d+ req/s\\), [1-9]\\d* succeeded, 0 failed");
        assertThat(out).contains("summary", "what happened:", "result: 0 failed requests");
    }

    @Test
    void withoutJmxAndFaultItJustRuns() {
        CliRun r = CliRun.run("demo", "--duration", "2s", "--no-fault", "--jmx-port", "-1", "--nodes", "1",
                "--concurrency", "4");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("JMX: off", "t=  2s", "result: 0 failed requests").doesNotContain(">>>");
    }
}
