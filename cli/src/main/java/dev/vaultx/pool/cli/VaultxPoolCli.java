package dev.vaultx.pool.cli;

import dev.vaultx.pool.PoolConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code vaultx-pool} command line: {@code demo} (the default), {@code probe} and {@code load}.
 *
 * <p>Exit codes: 0 when the command ran (a load run with failed requests included), 2 for invalid
 * arguments (the message names the argument and why), 1 when the command could not run.
 */
@Command(name = "vaultx-pool", mixinStandardHelpOptions = true, versionProvider = VaultxPoolCli.Version.class,
        description = {"A connection pool for HashiCorp Vault / OpenBao clusters: demo, probe and load.",
                "Without arguments, runs the demo."},
        subcommands = HelpCommand.class,
        footer = {"", "Examples:",
                "  vaultx-pool                  # the demo: simulated cluster, failover, JMX",
                "  vaultx-pool probe --nodes https://vault-1:8200,https://vault-2:8200",
                "  vaultx-pool probe --json     # VAULT_ADDR, VAULT_CACERT, ... as for vault itself",
                "  VAULT_TOKEN=... vaultx-pool load --nodes https://vault-1:8200 \\",
                "      --path /v1/secret/data/app --duration 20s --json",
                "", "Exit codes: 0 ran (load: failed requests included), 1 could not run,",
                "            2 invalid arguments."})
public final class VaultxPoolCli implements Callable<Integer> {

    /** The simple logger's level for the pool's own loggers; {@code info} in the demo, {@code warn} elsewhere. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.dev.vaultx";

    @Spec
    CommandSpec spec;

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments; none runs the demo
     */
    public static void main(String[] args) {
        configureLogging(args);
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), true);
        int code = execute(args, out, err, System::getenv);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs a command in-process.
     *
     * @param args the arguments; none runs the demo
     * @param out standard output
     * @param err standard error
     * @param env reads environment variables: the token of {@code load --token-env}, and the defaults of the
     *            connection options ({@code VAULT_ADDR}, {@code VAULT_CACERT}, ... and {@code VAULTX_POOL_*})
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Function<String, String> env) {
        CommandLine cl = commandLine(env);
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args.length == 0 ? new String[] {"demo"} : args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** @return the command line with its subcommands, not yet bound to any output */
    static CommandLine commandLine(Function<String, String> env) {
        Objects.requireNonNull(env, "env");
        CommandLine cl = new CommandLine(new VaultxPoolCli());
        cl.addSubcommand("demo", new DemoCommand());
        cl.addSubcommand("probe", new ProbeCommand(env));
        cl.addSubcommand("load", new LoadCommand(env));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandName() + ": error: " + describe(ex));
            commandLine.getErr().flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }

    /**
     * The pool logs at INFO in the demo (role and breaker changes next to the table) and only WARN in
     * the other commands, whose stdout may be parsed. slf4j-simple writes to stderr in any case. A
     * level given with {@code -Dorg.slf4j.simpleLogger.log.dev.vaultx=...} wins.
     */
    static void configureLogging(String[] args) {
        boolean demo = args.length == 0 || "demo".equals(args[0]);
        if (!demo && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
        // the jmx module logs through System.Logger (java.util.logging here); the demo prints the address itself
        JMX_LOGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** Held so that java.util.logging keeps the level (it references loggers weakly). */
    private static final java.util.logging.Logger JMX_LOGGER = java.util.logging.Logger.getLogger("dev.vaultx.pool.jmx");

    @Override
    public Integer call() {
        // only reached with options but no subcommand, e.g. never with picocli's help options: run the demo
        return spec.commandLine().getSubcommands().get("demo").execute();
    }

    static String describe(Throwable ex) {
        Throwable t = Outcomes.unwrap(ex);
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** @return the comma-separated URLs of {@code --nodes}, trimmed, empty items dropped */
    static List<String> splitNodes(String nodes) {
        return Arrays.stream(nodes.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** @return a picocli exception naming the option, which exits with code 2 and the usage help */
    static ParameterException invalid(CommandSpec spec, String option, Object value, String expected) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': " + value + " (expected: " + expected + ")");
    }

    static void requireRange(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(spec, option, value, min + "-" + max);
        }
    }

    private static final Map<String, String> OPTION_OF_KEY = Map.of(
            "nodes", "--nodes", "size", "--size", "maxOverflow", "--max-overflow",
            "requestTimeout", "--request-timeout", "namespace", "--namespace");

    /** @return the option that sets a pool key: {@code maxOverflow} is {@code --max-overflow} */
    static String optionOf(String key) {
        return OPTION_OF_KEY.getOrDefault(key, VaultOptions.OPTION_OF_KEY.getOrDefault(key, "--" + key));
    }

    /**
     * Builds a pool configuration; a {@link PoolConfigException} becomes a parameter error naming the
     * option: {@code Invalid value for option '--nodes': nodes: ftp://x:80 (expected: ...)}.
     */
    static <T> T config(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (PoolConfigException e) {
            String option = optionOf(e.key());
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage(), e);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = VaultxPoolCli.class.getPackage().getImplementationVersion();
            return new String[] {"vaultx-pool " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
