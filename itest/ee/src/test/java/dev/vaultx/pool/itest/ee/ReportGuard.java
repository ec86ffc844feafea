package dev.vaultx.pool.itest.ee;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The zero-test guard, run by the build in the verify phase after failsafe: a green build must have
 * run tests in every container it was asked to use.
 *
 * <p>Arguments: the failsafe reports directory, {@code skip:<skipTests>:<skipITs>:<maven.test.skip>},
 * then one {@code <container>:<skipped?>:<min>} per container. For each container that is not
 * skipped it checks {@code <reports>/<container>/failsafe-summary.xml}: at least {@code min} tests
 * completed and none skipped (Arquillian reports a test it could not run in the container as
 * skipped or errored), and that no test class report holds zero tests.
 */
public final class ReportGuard {

    private static final Pattern COMPLETED = Pattern.compile("<completed>(\\d+)</completed>");
    private static final Pattern SKIPPED = Pattern.compile("<skipped>(\\d+)</skipped>");
    private static final Pattern SUITE_TESTS = Pattern.compile("<testsuite[^>]*\\btests=\"(\\d+)\"");

    private ReportGuard() {
    }

    public static void main(String[] args) throws IOException {
        Path reports = Path.of(args[0]);
        if (args[1].contains("true")) {
            System.out.println("[itest] tests skipped on request (" + args[1] + "): no test-count check");
            return;
        }
        List<String> problems = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] spec = args[i].split(":");
            String container = spec[0];
            if (Boolean.parseBoolean(spec[1])) {
                continue;
            }
            int min = Integer.parseInt(spec[2]);
            Path summary = reports.resolve(container).resolve("failsafe-summary.xml");
            if (!Files.isRegularFile(summary)) {
                problems.add(container + ": no " + summary + " (expected: the container's tests ran)");
                continue;
            }
            String xml = Files.readString(summary);
            int completed = number(COMPLETED, xml);
            int skipped = number(SKIPPED, xml);
            System.out.println("[itest] " + container + ": " + completed + " tests completed, " + skipped + " skipped");
            if (completed < min || skipped != 0) {
                problems.add(container + ": " + completed + " tests completed, " + skipped + " skipped (expected: at least "
                        + min + " completed, 0 skipped)");
            }
            try (Stream<Path> files = Files.list(reports.resolve(container))) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                    if (number(SUITE_TESTS, Files.readString(f)) == 0) {
                        problems.add(container + ": " + f.getFileName() + " ran 0 tests");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("itest/ee zero-test guard: " + String.join("; ", problems));
        }
    }

    private static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
