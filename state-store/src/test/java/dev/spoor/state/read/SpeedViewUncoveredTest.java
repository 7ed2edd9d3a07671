package dev.spoor.state.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The running counters an event sees: its own and earlier events', whatever order the cells come in. */
class SpeedViewUncoveredTest {
  private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

  private static SpeedView.Seen seen(String id, int partition, long offset, double cart, long millis) {
    return new SpeedView.Seen("alice", id, partition, offset, "add_to_cart", cart, T.plusMillis(millis));
  }

  @Test
  void anEventSeesTheEventsUpToAndIncludingItselfInCollectorTimeThenPositionOrder() {
    List<SpeedView.Seen> cells = new ArrayList<>(List.of(seen("a", 0, 10, 100.0, 0), seen("b", 0, 11, 50.5, 0),
        seen("c", 0, 12, 20.0, 5), seen("d", 1, 3, 1.25, 2)));
    // Any order of cells (HBase returns them by qualifier, not by time) gives the same counters.
    Collections.shuffle(cells, new Random(7));
    SpeedView.Uncovered uncovered = new SpeedView.Uncovered(cells, T);

    assertThat(uncovered.through("a")).isEqualTo(new SpeedView.Counters(1, 100.0, T));
    assertThat(uncovered.through("b")).isEqualTo(new SpeedView.Counters(2, 150.5, T));
    assertThat(uncovered.through("d")).isEqualTo(new SpeedView.Counters(3, 151.75, T.plusMillis(2)));
    assertThat(uncovered.through("c")).isEqualTo(new SpeedView.Counters(4, 171.75, T.plusMillis(5)));
    assertThat(uncovered.all()).isEqualTo(uncovered.through("c"));
  }

  @Test
  void anEventTheBatchViewCoversSeesNoSpeedCounters() {
    SpeedView.Uncovered uncovered = new SpeedView.Uncovered(List.of(seen("later", 0, 20, 5.0, 9)), T);

    assertThat(uncovered.through("covered")).isEqualTo(SpeedView.Counters.NONE);
    assertThat(new SpeedView.Uncovered(List.of(), null).all()).isEqualTo(SpeedView.Counters.NONE);
  }
}
