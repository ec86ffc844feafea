package dev.vaultx.pool.cli;

import dev.vaultx.pool.PoolConfigException;
import dev.vaultx.pool.PoolConfigReader;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/**
 * Reads durations for picocli with the pool's own parser ({@link PoolConfigReader#parseDuration(String, String)}):
 * {@code 20s}, {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h}, ISO-8601 ({@code PT20S}). A bare number
 * ({@code 30}) is refused, as in every configuration source. Stateless.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** @throws TypeConversionException {@code '30' is not a duration (expected: a duration with a unit, e.g. 30s, 500ms)} */
    static Duration parse(String value) {
        try {
            return PoolConfigReader.parseDuration("value", value);
        } catch (PoolConfigException e) {
            String expected = e.getMessage().replaceFirst("^.*\\(expected: (.*)\\)$", "$1");
            throw new TypeConversionException("'" + value + "' is not a duration (expected: " + expected + ")");
        }
    }

    /** @return a short text form: 500ms, 20s, 1.5s */
    static String format(Duration d) {
        return PoolConfigReader.formatDuration(d);
    }
}
