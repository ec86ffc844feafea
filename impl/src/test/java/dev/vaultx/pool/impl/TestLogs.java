package dev.vaultx.pool.impl;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The log file the tests write (slf4j-simple, see the test resources), read back by the secrets scans. Stateless. */
public final class TestLogs {

    /** Where the tests' log goes. */
    public static final Path LOG = Path.of("target", "pool-test.log");

    private TestLogs() {
    }

    /** @return the log's length now, to read what is appended after it; 0 if there is no log yet */
    public static long offset() throws IOException {
        return Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    /** @return what was appended to the log since {@code offset} (all of it, if the log was truncated meanwhile) */
    public static String appendedSince(long offset) throws IOException {
        if (!Files.exists(LOG)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(LOG.toFile(), "r")) {
            long length = f.length();
            long from = offset <= length ? offset : 0;
            byte[] bytes = new byte[(int) (length - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
