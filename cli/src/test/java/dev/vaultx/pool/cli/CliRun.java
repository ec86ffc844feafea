package dev.vaultx.pool.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs the command line in-process with captured output, and reads JSON back (test support). */
record CliRun(int exitCode, String out, String err, String systemOut, String systemErr) {

    static CliRun run(Function<String, String> env, String... args) {
        return run(env, null, args);
    }

    /**
     * @param liveOut if not {@code null}, receives stdout as it is written (for reading it while the command runs)
     */
    static CliRun run(Function<String, String> env, StringWriter liveOut, String... args) {
        StringWriter out = liveOut != null ? liveOut : new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
        int code;
        // also catch anything written to the real streams (slf4j-simple writes to System.err, looked up per line)
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
        try {
            code = VaultxPoolCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        CliRun r = new CliRun(code, out.toString(), err.toString(), sysOut.toString(StandardCharsets.UTF_8),
                sysErr.toString(StandardCharsets.UTF_8));
        oldErr.print(r.err());
        oldErr.print(r.systemErr());
        return r;
    }

    static CliRun run(String... args) {
        return run(name -> null, args);
    }

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Parses a text that must be exactly one JSON object followed by nothing but whitespace.
     *
     * @return the object as maps, lists, Long/Double, String, Boolean and null
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseOneObject(String text) throws IOException {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new AssertionError("expected a JSON object, got " + first + " in:\n" + text);
            }
            Object value = read(p);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new AssertionError("expected the end of input after one JSON object, got " + after);
            }
            return (Map<String, Object>) value;
        }
    }

    private static Object read(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new AssertionError("unexpected token " + p.currentToken());
        }
    }
}
