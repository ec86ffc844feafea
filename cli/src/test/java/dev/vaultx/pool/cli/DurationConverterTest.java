package dev.vaultx.pool.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    @Test
    void readsUnitsAndIso() {
        assertThat(DurationConverter.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationConverter.parse(" 10S ")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationConverter.parse("PT20S")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void rejectsTheRest() {
        for (String bad : new String[] {"abc", "", "10 seconds", "-1s", "s", "1.s", "30", "1.5"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class).hasMessageContaining("is not a duration");
        }
    }

    @Test
    void refusesABareNumberNamingTheUnitItNeeds() {
        assertThatThrownBy(() -> DurationConverter.parse("30")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'30' is not a duration (expected: a duration with a unit, e.g. 30s, 500ms)");
    }

    @Test
    void formatsShort() {
        assertThat(DurationConverter.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(DurationConverter.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }
}
