package dev.spoor.batch.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
  private static final Set<String> JOBS = Set.of("clean", "sessionize");

  @Test
  void parsesEveryOption() {
    RunOptions options = RunOptions.parse(new String[] {"clean", "--run-id", "daily-2026-11-20", "--as-of", "2026-11-20",
        "--full"}, JOBS);

    assertThat(options).isEqualTo(new RunOptions("clean", "daily-2026-11-20", LocalDate.of(2026, 11, 20), true));
  }

  @Test
  void defaultsToATimestampRunIdAndTodayIncrementally() {
    RunOptions options = RunOptions.parse(new String[] {"sessionize"}, JOBS);

    assertThat(options.runId()).matches("\\d{8}T\\d{6}Z");
    assertThat(options.full()).isFalse();
  }

  @Test
  void badArgumentsSayWhatWasExpected() {
    assertThatThrownBy(() -> RunOptions.parse(new String[] {"sessions"}, JOBS))
        .hasMessage("unknown job 'sessions' (jobs: clean, sessionize)");
    assertThatThrownBy(() -> RunOptions.parse(new String[] {"clean", "--as-of", "yesterday"}, JOBS))
        .hasMessageContaining("expected a date like 2026-11-20");
    assertThatThrownBy(() -> RunOptions.parse(new String[] {"clean", "--run-id", "a b"}, JOBS))
        .hasMessageContaining("--run-id 'a b'");
    assertThatThrownBy(() -> RunOptions.parse(new String[] {"clean", "--run-id"}, JOBS))
        .hasMessage("--run-id needs a value");
    assertThatThrownBy(() -> RunOptions.parse(new String[] {}, JOBS)).hasMessageContaining("a job is needed");
  }
}
