package dev.spoor.demo.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.stack.testing.TestStackConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule's records against the expected ones: equal passes, a repeat is counted, anything else is a difference. */
class SpeedChecksTest {
  private final SpeedConfig config = SpeedConfig.from(TestStackConfig.config(), TestStackConfig.home());
  private final SpeedChecks checks = new SpeedChecks(null, config);

  private TopicRecord notification(String event, double cartValue) {
    return new TopicRecord(config.notificationsTopic(), 0, 0, "id-" + event, "{\"notification_id\":\"id-" + event
        + "\",\"rule\":\"big_spender_today\",\"user_key\":\"u1\",\"event_id\":\"" + event + "\",\"payload\":{\"cart_value_today\":"
        + cartValue + "}}");
  }

  @Test
  void theSameRecordsPassAndAnUnchangedRepeatIsCountedNotADifference() {
    Check check = checks.compare("big_spender_today (notify)", List.of(notification("e1", 520.0), notification("e2", 600.0)),
        List.of(notification("e2", 600.0), notification("e1", 520.0), notification("e1", 520.0)));

    assertThat(check.passed()).as(check.differences().toString()).isTrue();
    assertThat(check.name()).contains("(1 redelivered unchanged)");
    assertThat(check.expected()).isEqualTo(2);
    assertThat(check.actual()).isEqualTo(2);
  }

  @Test
  void aChangedRepeatAMissingAndAnUnexpectedRecordAreEachADifference() {
    Check check = checks.compare("big_spender_today (notify)",
        List.of(notification("e1", 520.0), notification("e2", 600.0)),
        List.of(notification("e1", 520.0), notification("e1", 1040.0), notification("e3", 700.0)));

    assertThat(check.passed()).isFalse();
    assertThat(check.differences()).hasSize(3)
        .anyMatch(d -> d.startsWith("e1: expected") && d.contains("1040.0"))
        .anyMatch(d -> d.startsWith("e2: expected") && d.endsWith("got nothing"))
        .anyMatch(d -> d.startsWith("e3: expected nothing"));
  }
}
