package dev.spoor.batch.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.batch.funnel.WindowFunnel.Event;
import dev.spoor.batch.funnel.WindowFunnel.Mode;
import dev.spoor.batch.funnel.WindowFunnel.Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The funnel semantics suite: for each mode, windows at the boundary, repeated steps, one event
 * matching several steps, equal timestamps, strict order interruptions, and arrival order. Times are
 * in seconds here (×1 000 000 for microseconds); expectations are worked out by hand in each comment.
 */
class WindowFunnelTest {
  private static final long S = 1_000_000L;
  /** Steps: A = 0, B = 1, C = 2. */
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;

  private static Event at(long seconds, int... steps) {
    return new Event(seconds * S, steps);
  }

  private static Result funnel(long windowSeconds, Set<Mode> modes, Event... events) {
    return new WindowFunnel(windowSeconds * S, 3, modes).evaluate(List.of(events));
  }

  private static Result funnel(long windowSeconds, Event... events) {
    return funnel(windowSeconds, EnumSet.noneOf(Mode.class), events);
  }

  private static List<Long> seconds(Long... values) {
    List<Long> micros = new ArrayList<>();
    for (Long v : values) {
      micros.add(v * S);
    }
    return micros;
  }

  @Test
  void allStepsInOrderWithinTheWindowReachTheLastLevelWithEachStepsTime() {
    assertThat(funnel(10, at(1, A), at(2, B), at(3, C))).isEqualTo(new Result(3, seconds(1L, 2L, 3L)));
  }

  @Test
  void theWindowIsInclusiveAndCountsFromTheFirstStep() {
    // C at exactly 1 + 10 is in; at 12 it is out (B still counts).
    assertThat(funnel(10, at(1, A), at(5, B), at(11, C)).level()).isEqualTo(3);
    assertThat(funnel(10, at(1, A), at(5, B), at(12, C))).isEqualTo(new Result(2, seconds(1L, 5L)));
  }

  @Test
  void aLaterFirstStepStartsAFreshChain() {
    // The chain from A@1 expires; A@100 starts again and completes.
    assertThat(funnel(10, at(1, A), at(2, B), at(100, A), at(101, B), at(102, C)))
        .isEqualTo(new Result(3, seconds(100L, 101L, 102L)));
  }

  @Test
  void noFirstStepMeansLevelZero() {
    assertThat(funnel(10, at(1, B), at(2, C))).isEqualTo(new Result(0, List.of()));
    assertThat(funnel(10)).isEqualTo(new Result(0, List.of()));
  }

  @Test
  void repeatedStepsAreIgnoredByDefaultButEndTheSearchUnderStrictDeduplication() {
    Event[] events = {at(1, A), at(2, B), at(3, B), at(4, C)};

    assertThat(funnel(10, events).level()).isEqualTo(3);
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_DEDUPLICATION), events)).isEqualTo(new Result(2, seconds(1L, 2L)));
  }

  @Test
  void strictOrderStopsAtAnInterveningEventOrAStepOutOfOrder() {
    // A -> B -> D (no step) -> C: 3 by default, 2 under strict_order (ClickHouse's own example).
    Event[] withOther = {at(1, A), at(2, B), at(3), at(4, C)};
    assertThat(funnel(10, withOther).level()).isEqualTo(3);
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_ORDER), withOther).level()).isEqualTo(2);
    // A -> C -> B -> C: C before B breaks the order.
    Event[] skipping = {at(1, A), at(2, C), at(3, B), at(4, C)};
    assertThat(funnel(10, skipping).level()).isEqualTo(3);
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_ORDER), skipping).level()).isEqualTo(1);
    // Events before the first step do not count against the order.
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_ORDER), at(0), at(1, A), at(2, B), at(3, C)).level()).isEqualTo(3);
  }

  @Test
  void equalTimestampsCountUnlessStrictIncreaseIsAsked() {
    Event[] sameSecond = {at(1, A), at(1, B), at(2, C)};

    assertThat(funnel(10, sameSecond).level()).isEqualTo(3);
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_INCREASE), sameSecond)).isEqualTo(new Result(1, seconds(1L)));
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_INCREASE), at(1, A), at(2, B), at(3, C)).level()).isEqualTo(3);
  }

  @Test
  void anEventMatchingSeveralStepsCountsForEachUnlessStrictOnce() {
    // X matches A and B at once, Y matches C.
    Event[] events = {at(1, A, B), at(2, C)};

    assertThat(funnel(10, events)).isEqualTo(new Result(3, seconds(1L, 1L, 2L)));
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_ONCE), events)).isEqualTo(new Result(1, seconds(1L)));
    // With a separate B it completes under strict_once too.
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_ONCE), at(1, A, B), at(2, B), at(3, C)).level()).isEqualTo(3);
  }

  @Test
  void strictOnceKeepsEveryCandidateChainSoALaterChoiceCanWin() {
    // start, a, b, a, end as steps A, B, C where the second 'a' (B) must not be reused.
    WindowFunnel funnel = new WindowFunnel(100 * S, 3, EnumSet.of(Mode.STRICT_ONCE));

    assertThat(funnel.evaluate(List.of(at(1, A), at(2, B), at(3, B), at(4, C))).level()).isEqualTo(3);
  }

  @Test
  void arrivalOrderNeverChangesTheResult() {
    List<Event> sorted = List.of(at(1, A), at(2, B), at(3, B), at(3), at(5, A), at(6, C), at(20, B), at(21, C));
    Random random = new Random(9);
    for (Set<Mode> modes : List.<Set<Mode>>of(EnumSet.noneOf(Mode.class), EnumSet.of(Mode.STRICT_DEDUPLICATION),
        EnumSet.of(Mode.STRICT_ORDER), EnumSet.of(Mode.STRICT_INCREASE), EnumSet.of(Mode.STRICT_ONCE))) {
      WindowFunnel funnel = new WindowFunnel(10 * S, 3, modes);
      Result expected = funnel.evaluate(sorted);
      for (int i = 0; i < 20; i++) {
        List<Event> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, random);
        assertThat(funnel.evaluate(shuffled)).as(modes.toString()).isEqualTo(expected);
      }
    }
  }

  @Test
  void aOneStepFunnelIsReachedByAnyMatchingEvent() {
    assertThat(new WindowFunnel(S, 1, Set.of()).evaluate(List.of(at(5, A), at(3, A))))
        .isEqualTo(new Result(1, seconds(3L)));
  }

  private static Event excluded(long seconds, int... steps) {
    return new Event(seconds * S, steps, true);
  }

  @Test
  void anExclusionClosesTheOpenChainsWhichKeepTheLevelTheyReached() {
    // A, then the excluded event X, then B and C: the chain stops at A.
    assertThat(funnel(10, at(1, A), excluded(2), at(3, B), at(4, C))).isEqualTo(new Result(1, seconds(1L)));
    // A, B, X, C: the chain keeps level 2.
    assertThat(funnel(10, at(1, A), at(2, B), excluded(3), at(4, C))).isEqualTo(new Result(2, seconds(1L, 2L)));
    // The same under every mode.
    for (Mode mode : Mode.values()) {
      assertThat(funnel(10, EnumSet.of(mode), at(1, A), excluded(2), at(3, B), at(4, C)).level()).as(mode.name())
          .isEqualTo(1);
    }
  }

  @Test
  void aFirstStepAfterTheExclusionStartsAFreshChain() {
    assertThat(funnel(10, at(1, A), excluded(2), at(5, A), at(6, B), at(7, C)))
        .isEqualTo(new Result(3, seconds(5L, 6L, 7L)));
    assertThat(funnel(10, EnumSet.of(Mode.STRICT_ONCE), at(1, A), excluded(2), at(5, A), at(6, B), at(7, C)).level())
        .isEqualTo(3);
  }

  @Test
  void anExclusionAtTheSameInstantAsAStepComesAfterIt() {
    // B and X both at 2: B counts, C at 3 does not.
    assertThat(funnel(10, at(1, A), at(2, B), excluded(2), at(3, C))).isEqualTo(new Result(2, seconds(1L, 2L)));
    // An event that is both a step and an exclusion: it counts as the step, then closes the chain.
    assertThat(funnel(10, at(1, A), excluded(2, B), at(3, C))).isEqualTo(new Result(2, seconds(1L, 2L)));
  }

  @Test
  void anExclusionBeforeTheFirstStepChangesNothing() {
    assertThat(funnel(10, excluded(0), at(1, A), at(2, B), at(3, C)).level()).isEqualTo(3);
    assertThat(funnel(10, excluded(0), excluded(1)).level()).isZero();
  }

  /** The table of examples in the README (batch section), row by row: default, dedup, order, increase, once. */
  @Test
  void theReadmeExamplesHold() {
    long m = 60; // a minute, in seconds
    Object[][] rows = {
        {new Event[] {at(0, A), at(10 * m, B), at(20 * m, C)}, new int[] {3, 3, 3, 3, 3}},
        {new Event[] {at(0, A), at(10 * m, B), at(61 * m, C)}, new int[] {2, 2, 2, 2, 2}},
        {new Event[] {at(0, A), at(10 * m, B), at(15 * m), at(20 * m, C)}, new int[] {3, 3, 2, 3, 3}},
        {new Event[] {at(0, A), at(10 * m, B), at(15 * m, B), at(20 * m, C)}, new int[] {3, 2, 3, 3, 3}},
        {new Event[] {at(0, A), at(0, B), at(5 * m, C)}, new int[] {3, 3, 3, 1, 3}},
        {new Event[] {at(0, A), at(5 * m, C), at(10 * m, B), at(20 * m, C)}, new int[] {3, 3, 1, 3, 3}},
        {new Event[] {at(0, A, B), at(5 * m, C)}, new int[] {3, 3, 3, 1, 1}},
        {new Event[] {at(0, A), at(70 * m, A), at(80 * m, B), at(90 * m, C)}, new int[] {3, 3, 3, 3, 3}},
        {new Event[] {at(0, A), at(10 * m, B), excluded(10 * m), at(20 * m, C)}, new int[] {2, 2, 1, 2, 2}},
        {new Event[] {at(0, A), excluded(5 * m), at(10 * m, B), at(20 * m, C)}, new int[] {1, 1, 1, 1, 1}},
        {new Event[] {at(0, A), excluded(5 * m), at(30 * m, A), at(40 * m, B), at(50 * m, C)}, new int[] {3, 3, 1, 3, 3}},
    };
    List<Set<Mode>> modes = List.of(EnumSet.noneOf(Mode.class), EnumSet.of(Mode.STRICT_DEDUPLICATION),
        EnumSet.of(Mode.STRICT_ORDER), EnumSet.of(Mode.STRICT_INCREASE), EnumSet.of(Mode.STRICT_ONCE));
    for (int r = 0; r < rows.length; r++) {
      for (int mode = 0; mode < modes.size(); mode++) {
        assertThat(funnel(60 * m, modes.get(mode), (Event[]) rows[r][0]).level())
            .as("README row " + (r + 1) + ", " + modes.get(mode)).isEqualTo(((int[]) rows[r][1])[mode]);
      }
    }
  }
}
