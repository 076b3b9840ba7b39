package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DatesTest {

  @Test
  void plainDateIsTheStartOfThatDayInUtc() {
    assertThat(Dates.parse("2027-01-01")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void isoInstantIsTakenAsIs() {
    Instant expected = LocalDateTime.of(2027, 3, 4, 5, 6, 7).toInstant(ZoneOffset.UTC);

    assertThat(Dates.parse("2027-03-04T05:06:07Z")).isEqualTo(expected);
    assertThat(Dates.parse("2027-03-04T05:06:07.5Z")).isEqualTo(expected.plusMillis(500));
  }

  @Test
  void instantWithOffsetIsConvertedToUtc() {
    assertThat(Dates.parse("2027-01-01T02:00:00+02:00")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void blankIsNoDate(String text) {
    assertThat(Dates.parse(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2027-13-01", "2027-02-30", "01/01/2027", "tomorrow", "2027-01-01T00:00:00", "1700000000"})
  void otherFormsAreRejectedWithTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Dates.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text)
        .hasMessageContaining("2027-01-01");
  }
}
