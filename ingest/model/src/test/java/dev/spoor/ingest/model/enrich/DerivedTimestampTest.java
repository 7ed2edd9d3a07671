package dev.spoor.ingest.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DerivedTimestampTest {
  private static final Instant COLLECTOR = Instant.parse("2026-11-20T12:00:00Z");
  private static final Duration MAX_OFFLINE = Duration.ofDays(30);

  @Test
  void derivedIsCollectorMinusTheDeviceSendDelay() {
    // A device whose clock is 2 hours behind created an event, then sent it 90 s later.
    Instant created = Instant.parse("2026-11-20T09:58:00Z");
    Instant sent = created.plusSeconds(90);

    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(COLLECTOR, created, sent, null, MAX_OFFLINE);

    assertThat(derived.tstamp()).isEqualTo(COLLECTOR.minusSeconds(90));
    assertThat(derived.flags()).isEmpty();
  }

  @Test
  void eventsSentDaysLaterGetTheirOriginalTime() {
    Instant created = Instant.parse("2026-11-17T08:00:00Z");
    Instant sent = Instant.parse("2026-11-20T11:59:00Z");

    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(COLLECTOR, created, sent, null, MAX_OFFLINE);

    assertThat(derived.tstamp()).isEqualTo(Instant.parse("2026-11-17T08:01:00Z"));
  }

  @Test
  void withoutBothDeviceTimesTheCollectorTimeIsUsed() {
    assertThat(DerivedTimestamp.derive(COLLECTOR, null, null, null, MAX_OFFLINE).tstamp()).isEqualTo(COLLECTOR);
    assertThat(DerivedTimestamp.derive(COLLECTOR, COLLECTOR.minusSeconds(5), null, null, MAX_OFFLINE).tstamp())
        .isEqualTo(COLLECTOR);
  }

  @Test
  void trueTimestampWinsWhenPresent() {
    Instant truth = Instant.parse("2026-11-19T10:00:00Z");

    assertThat(DerivedTimestamp.derive(COLLECTOR, COLLECTOR, COLLECTOR, truth, MAX_OFFLINE).tstamp()).isEqualTo(truth);
  }

  @Test
  void aTrueTimestampBefore2000IsNotBelievedTheCollectorTimeIsUsedAndFlagged() {
    Instant yearOne = Instant.ofEpochMilli(-62135596800000L);

    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(COLLECTOR, null, null, yearOne, MAX_OFFLINE);

    assertThat(derived.tstamp()).isEqualTo(COLLECTOR);
    assertThat(derived.flags()).containsExactly("true_tstamp_implausibly_old_clamped");
  }

  @Test
  void sentBeforeCreatedIsClampedToNoDelayAndFlagged() {
    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(COLLECTOR, COLLECTOR.minusSeconds(10),
        COLLECTOR.minusSeconds(70), null, MAX_OFFLINE);

    assertThat(derived.tstamp()).isEqualTo(COLLECTOR);
    assertThat(derived.flags()).containsExactly("dvce_sent_before_created_clamped");
  }

  @Test
  void absurdlyLongOfflineIsClampedToTheMaximumAndFlagged() {
    Instant created = Instant.parse("2001-01-01T00:00:00Z");

    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(COLLECTOR, created, COLLECTOR, null, MAX_OFFLINE);

    assertThat(derived.tstamp()).isEqualTo(COLLECTOR.minus(MAX_OFFLINE));
    assertThat(derived.flags()).containsExactly("dvce_offline_too_long_clamped");
  }

  @Test
  void deviceTimesInTheFutureOrBefore2000AreFlaggedButTheFormulaStillHolds() {
    Instant future = COLLECTOR.plus(Duration.ofDays(2));
    DerivedTimestamp.Derived ahead = DerivedTimestamp.derive(COLLECTOR, future, future.plusSeconds(3), null, MAX_OFFLINE);
    DerivedTimestamp.Derived old = DerivedTimestamp.derive(COLLECTOR, Instant.EPOCH, Instant.EPOCH.plusSeconds(3),
        null, MAX_OFFLINE);

    assertThat(ahead.tstamp()).isEqualTo(COLLECTOR.minusSeconds(3));
    assertThat(ahead.flags()).containsExactly("dvce_created_tstamp_in_future", "dvce_sent_tstamp_in_future");
    assertThat(old.tstamp()).isEqualTo(COLLECTOR.minusSeconds(3));
    assertThat(old.flags()).containsExactly("dvce_created_tstamp_implausibly_old", "dvce_sent_tstamp_implausibly_old");
  }

  @Test
  void aTrueTimestampInTheFutureIsClampedToTheCollectorTime() {
    DerivedTimestamp.Derived derived = DerivedTimestamp.derive(COLLECTOR, null, null, COLLECTOR.plusSeconds(3600),
        MAX_OFFLINE);

    assertThat(derived.tstamp()).isEqualTo(COLLECTOR);
    assertThat(derived.flags()).containsExactly("true_tstamp_in_future_clamped");
  }
}
