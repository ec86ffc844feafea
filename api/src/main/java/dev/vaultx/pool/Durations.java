package dev.vaultx.pool;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every configuration source (properties, environment, MicroProfile Config, OSGi
 * ConfigAdmin, CDI) and of the command line, behind {@link PoolConfigReader#parseDuration(String, String)}.
 *
 * <p>A number with a unit: {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code 1h}, {@code 1d} (also
 * {@code ns}, {@code us}); or ISO-8601 ({@code PT30S}). A bare number is refused, except {@code 0}: Vaultx
 * wrote milliseconds, the command line used to read seconds, so {@code 30} means nothing safe. Stateless.
 */
final class Durations {

    /** What a refused value is told to look like. */
    static final String EXPECTED = "a duration with a unit, e.g. 30s, 500ms";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,30}(?:\\.\\d{1,9})?)\\s*(ns|us|ms|s|m|h|d)");
    private static final Pattern BARE = Pattern.compile("[+-]?\\d+(?:\\.\\d*)?");

    private Durations() {
    }

    /**
     * @param name the key or option named in the error, e.g. {@code vaultx.pool.timeout} or {@code --duration}
     * @throws PoolConfigException {@code name: 30 (expected: a duration with a unit, e.g. 30s, 500ms)}
     */
    static Duration parse(String name, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = WITH_UNIT.matcher(v);
        if (m.matches()) {
            try {
                return of(new BigDecimal(m.group(1)), m.group(2));
            } catch (ArithmeticException tooLarge) {
                throw new PoolConfigException(name, value, "a duration of at most " + Long.MAX_VALUE + " seconds");
            }
        }
        if (v.startsWith("p") && !BARE.matcher(v).matches()) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new PoolConfigException(name, value, EXPECTED + ", or ISO-8601 such as PT30S");
            }
        }
        throw new PoolConfigException(name, value, EXPECTED);
    }

    private static Duration of(BigDecimal amount, String unit) {
        long nanosPerUnit = switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit)).setScale(0, RoundingMode.HALF_UP);
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    /** @return a short text form of a duration: {@code 500ms}, {@code 20s}, {@code 1.5s}, {@code 2m} */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toNanosPart() % 1_000_000 != 0 || d.isNegative()) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms < 1000 ? ms + "ms" : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
        }
        long s = ms / 1000;
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 && s >= 60 ? s / 60 + "m" : s + "s";
    }
}
