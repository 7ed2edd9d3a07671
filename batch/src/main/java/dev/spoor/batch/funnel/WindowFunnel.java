package dev.spoor.batch.funnel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

/**
 * The funnel level one user reached, with the semantics of ClickHouse's {@code windowFunnel}: the
 * longest chain of steps 1 → 2 → … → k whose steps happen in order within {@code window} of the
 * chain's first step. Events are taken in event-time order (ties: lower step first), so arrival order
 * never matters.
 *
 * <p>Modes, as in ClickHouse:
 * <ul>
 *   <li>{@code STRICT_DEDUPLICATION}: a step that repeats while the chain is open ends the search
 *       (the level reached so far is the result);
 *   <li>{@code STRICT_ORDER}: once the chain has started, an event that matches no step, or a step
 *       whose predecessor has not been reached, ends the search;
 *   <li>{@code STRICT_INCREASE}: each step must be strictly later than the previous one;
 *   <li>{@code STRICT_ONCE}: one event counts for at most one step of a chain, even if it matches
 *       several (all candidate chains are tracked, since which one wins is known only later).
 * </ul>
 * Exclusions (not in ClickHouse): an event marked {@code excluded} at time t closes every chain open at
 * t: such a chain keeps the level it reached before t but can go no further; a first step after t
 * starts a new chain. At equal times, steps come before the exclusion, so an exclusion never cancels a
 * step that happened at the same instant.
 * Besides the level, the result carries the time of each step of the chain that reached it. Pure and
 * thread-safe.
 */
public final class WindowFunnel implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  public enum Mode { STRICT_DEDUPLICATION, STRICT_ORDER, STRICT_INCREASE, STRICT_ONCE }

  /**
   * One event: its time (microseconds), which steps (0-based) it satisfies (none is allowed), and
   * whether it matches an exclusion.
   */
  public record Event(long micros, int[] steps, boolean excluded) {
    public Event(long micros, int[] steps) {
      this(micros, steps, false);
    }
  }

  private static final int EXCLUSION = -2;

  /** The level reached (0…steps) and the time of each reached step, in order. */
  public record Result(int level, List<Long> stepMicros) {}

  private final long windowMicros;
  private final int steps;
  private final Set<Mode> modes;

  public WindowFunnel(long windowMicros, int steps, Set<Mode> modes) {
    if (steps < 1 || steps > 32) {
      throw new IllegalArgumentException("a funnel has 1 to 32 steps, not " + steps);
    }
    this.windowMicros = windowMicros;
    this.steps = steps;
    this.modes = modes.isEmpty() ? EnumSet.noneOf(Mode.class) : EnumSet.copyOf(modes);
  }

  /**
   * One (time, step) occurrence; step −1 marks an event that matched no step (strict order only), −2
   * an exclusion.
   */
  private record Occurrence(long micros, int step, int eventId) {
    /** Order at equal times: the non-step marker, then steps, then exclusions. */
    int rank() {
      return step == EXCLUSION ? Integer.MAX_VALUE : step;
    }
  }

  public Result evaluate(List<Event> events) {
    List<Occurrence> occurrences = new ArrayList<>();
    for (int id = 0; id < events.size(); id++) {
      Event event = events.get(id);
      boolean matched = false;
      for (int step : event.steps()) {
        if (step >= 0 && step < steps) {
          occurrences.add(new Occurrence(event.micros(), step, id));
          matched = true;
        }
      }
      if (!matched && modes.contains(Mode.STRICT_ORDER)) {
        occurrences.add(new Occurrence(event.micros(), -1, id));
      }
      if (event.excluded()) {
        occurrences.add(new Occurrence(event.micros(), EXCLUSION, id));
      }
    }
    if (occurrences.stream().noneMatch(o -> o.step() == 0)) {
      return new Result(0, List.of());
    }
    occurrences.sort(Comparator.comparingLong(Occurrence::micros).thenComparingInt(Occurrence::rank)
        .thenComparingInt(Occurrence::eventId));
    if (steps == 1 && !modes.contains(Mode.STRICT_ORDER)) {
      Occurrence first = occurrences.stream().filter(o -> o.step() == 0).findFirst().orElseThrow();
      return new Result(1, List.of(first.micros()));
    }
    return modes.contains(Mode.STRICT_ONCE) ? strictOnce(occurrences) : single(occurrences);
  }

  /** The chain reaching level i+1: its first step's time, its last step's time, each step's time and event. */
  private record Chain(long first, long last, long[] times, int[] eventIds, boolean open) {
    Chain extend(int step, long micros, int eventId) {
      long[] t = Arrays.copyOf(times, times.length);
      int[] e = Arrays.copyOf(eventIds, eventIds.length);
      t[step] = micros;
      e[step] = eventId;
      return new Chain(first, micros, t, e, true);
    }

    Chain closed() {
      return new Chain(first, last, times, eventIds, false);
    }

    boolean uses(int eventId, int upTo) {
      for (int i = 0; i < upTo; i++) {
        if (eventIds[i] == eventId) {
          return true;
        }
      }
      return false;
    }
  }

  private Chain start(Occurrence o) {
    long[] times = new long[steps];
    int[] ids = new int[steps];
    Arrays.fill(ids, -1);
    times[0] = o.micros();
    ids[0] = o.eventId();
    return new Chain(o.micros(), o.micros(), times, ids, true);
  }

  /** One chain per level, the latest that reached it (ClickHouse's default algorithm). */
  private Result single(List<Occurrence> occurrences) {
    Chain[] reached = new Chain[steps];
    boolean started = false;
    for (Occurrence o : occurrences) {
      int step = o.step();
      if (step == EXCLUSION) {
        for (int i = 0; i < steps; i++) {
          reached[i] = reached[i] == null ? null : reached[i].closed();
        }
        continue;
      }
      if (modes.contains(Mode.STRICT_ORDER) && step == -1) {
        if (started) {
          break;
        }
        continue;
      }
      if (step == 0) {
        reached[0] = start(o);
        started = true;
      } else if (modes.contains(Mode.STRICT_DEDUPLICATION) && reached[step] != null) {
        return result(reached);
      } else if (modes.contains(Mode.STRICT_ORDER) && started && reached[step - 1] == null) {
        return result(reached);
      } else if (reached[step - 1] != null && reached[step - 1].open()) {
        Chain previous = reached[step - 1];
        boolean inTime = o.micros() <= previous.first() + windowMicros;
        if (modes.contains(Mode.STRICT_INCREASE)) {
          inTime = inTime && previous.last() < o.micros();
        }
        if (inTime) {
          reached[step] = previous.extend(step, o.micros(), o.eventId());
          if (step + 1 == steps) {
            return result(reached);
          }
        }
      }
    }
    return result(reached);
  }

  /** Every candidate chain per level, so one event is used at most once per chain. */
  private Result strictOnce(List<Occurrence> occurrences) {
    List<LinkedList<Chain>> candidates = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      candidates.add(new LinkedList<>());
    }
    boolean started = false;
    for (Occurrence o : occurrences) {
      int step = o.step();
      if (step == EXCLUSION) {
        for (LinkedList<Chain> level : candidates) {
          level.replaceAll(Chain::closed);
        }
        continue;
      }
      if (modes.contains(Mode.STRICT_ORDER) && step == -1) {
        if (started) {
          break;
        }
        continue;
      }
      if (step == 0) {
        candidates.get(0).add(start(o));
        started = true;
      } else if (modes.contains(Mode.STRICT_DEDUPLICATION) && !candidates.get(step).isEmpty()) {
        return resultOf(candidates);
      } else if (modes.contains(Mode.STRICT_ORDER) && started && candidates.get(step - 1).isEmpty()) {
        return resultOf(candidates);
      } else if (!candidates.get(step - 1).isEmpty()) {
        LinkedList<Chain> previous = candidates.get(step - 1);
        var it = previous.listIterator();
        while (it.hasNext()) {
          Chain chain = it.next();
          boolean inTime = o.micros() <= chain.first() + windowMicros;
          if (!inTime && previous.size() > 1) {
            it.remove(); // expired, and another candidate remains
            continue;
          }
          boolean ok = inTime && chain.open() && !chain.uses(o.eventId(), step);
          if (ok && modes.contains(Mode.STRICT_INCREASE)) {
            ok = chain.last() < o.micros();
          }
          if (ok) {
            candidates.get(step).add(chain.extend(step, o.micros(), o.eventId()));
            if (step + 1 == steps) {
              return resultOf(candidates);
            }
          }
        }
      }
    }
    return resultOf(candidates);
  }

  private Result resultOf(List<LinkedList<Chain>> candidates) {
    Chain[] reached = new Chain[steps];
    for (int i = 0; i < steps; i++) {
      reached[i] = candidates.get(i).isEmpty() ? null : candidates.get(i).getLast();
    }
    return result(reached);
  }

  private static Result result(Chain[] reached) {
    for (int level = reached.length; level > 0; level--) {
      Chain chain = reached[level - 1];
      if (chain != null) {
        List<Long> times = new ArrayList<>(level);
        for (int i = 0; i < level; i++) {
          times.add(chain.times()[i]);
        }
        return new Result(level, times);
      }
    }
    return new Result(0, List.of());
  }
}
