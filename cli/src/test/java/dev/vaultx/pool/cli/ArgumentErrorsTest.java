package dev.vaultx.pool.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Invalid arguments exit with 2 and a message that names the argument and says why. Nothing is started. */
class ArgumentErrorsTest {

    private static final String NODE = "http://127.0.0.1:1";

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--concurrency", "0"},
                        new String[] {"Invalid value for option '--concurrency': 0 (expected: 1-10000)"}),
                arguments(new String[] {"load", "--nodes", "ftp://x", "--path", "/v1/x"},
                        new String[] {"Invalid value for option '--nodes': nodes: ftp://x (expected: http:// or https://"}),
                arguments(new String[] {"load", "--nodes", NODE + ",http://127.0.0.1:1", "--path", "/v1/x"},
                        new String[] {"'--nodes'", "(expected: each node listed once)"}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--duration", "abc"},
                        new String[] {"Invalid value for option '--duration'", "'abc' is not a duration (expected: "}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--no-such-option"},
                        new String[] {"Unknown option: '--no-such-option'"}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "v1/x"},
                        new String[] {"Invalid value for option '--path'", "starting with /"}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--method", "FETCH"},
                        new String[] {"Invalid value for option '--method'", "FETCH"}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--body", "{\"a\":"},
                        new String[] {"Invalid value for option '--body'", "not valid JSON"}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--size", "0"},
                        new String[] {"Invalid value for option '--size': size: 0 (expected: 1-10000)"}),
                arguments(new String[] {"load", "--nodes", NODE, "--path", "/v1/x", "--request-timeout", "0s"},
                        new String[] {"Invalid value for option '--request-timeout'"}),
                arguments(new String[] {"load", "--path", "/v1/x"},
                        new String[] {"Missing required option: '--nodes=URL[,URL...]'"}),
                arguments(new String[] {"probe", "--nodes", "vault-1:8200"},
                        new String[] {"Invalid value for option '--nodes': nodes: vault-1:8200"}),
                arguments(new String[] {"probe", "--nodes", NODE, "--timeout", "-1s"},
                        new String[] {"Invalid value for option '--timeout'"}),
                arguments(new String[] {"demo", "--duration", "abc"},
                        new String[] {"Invalid value for option '--duration'", "'abc' is not a duration"}),
                arguments(new String[] {"demo", "--jmx-port", "70000"},
                        new String[] {"Invalid value for option '--jmx-port': 70000 (expected: -1-65535)"}),
                arguments(new String[] {"demo", "--nodes", "0"},
                        new String[] {"Invalid value for option '--nodes': 0 (expected: 1-9)"}),
                arguments(new String[] {"no-such-command"},
                        new String[] {"Unmatched argument at index 0: 'no-such-command'"}));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void exitsWithTwoAndNamesTheArgument(String[] args, String[] messages) {
        CliRun r = CliRun.run(args);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(messages);
        if (!r.err().startsWith("Unknown option") && !r.err().startsWith("Unmatched argument")) {
            assertThat(r.err()).as("usage help follows the message").contains("Usage: vaultx-pool");
        }
        assertThat(r.out()).isEmpty();
    }
}
