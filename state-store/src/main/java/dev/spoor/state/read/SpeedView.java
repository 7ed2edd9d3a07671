package dev.spoor.state.read;

import dev.spoor.state.Retry;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.RowKeys;
import dev.spoor.state.table.StateTables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The speed view: what the stream has seen of each user that the committed batch view does not cover
 * yet. Every event the speed layer reads is recorded in the user's row, family {@code s}, under its
 * event id, with the Kafka position (partition, offset) of its first copy: a replayed batch or a
 * redelivered copy of the event finds the cell there and leaves it as it is (a batched check-and-put),
 * so nothing counts twice. Copies of an event share its user and so its partition, and the lander
 * lands each partition in order: an event is in a batch view exactly when its first copy's offset is
 * at or below the view's cutoff for that partition (the highest offset its {@code events_clean}
 * held). The speed view counts only events above the cutoff, so when a new batch view is committed,
 * what it covers drops out of the speed view at the same instant: no double counting, no gap. Cells
 * expire after the family's TTL ({@link StateTables#SPEED_TTL_SECONDS}), far beyond the publish
 * interval; {@link Uncovered#recordedSince} tells how close the oldest uncovered event is to it.
 * Counters are running: see {@link Uncovered}.
 */
public final class SpeedView {
  /** One event as the speed view records it. */
  public record Seen(String userKey, String eventId, int partition, long offset, String eventName, double cartValue,
      Instant at) {}

  /** A user's counters beyond the batch cutoff. */
  public record Counters(long events, double cartValue, Instant lastEventAt) {
    public static final Counters NONE = new Counters(0, 0, null);
  }

  private final Connection connection;
  private final StateTables tables;
  private final RowKeys keys;
  private final Retry retry;

  public SpeedView(Connection connection, StateStoreConfig config) {
    this.connection = connection;
    this.tables = new StateTables(config);
    this.keys = new RowKeys(config.saltBuckets());
    this.retry = new Retry(config);
  }

  /**
   * Records events, each once: one cell per event id, written only where none is (the first copy's
   * position stands). Copies within {@code events} count as one, the earliest offset kept.
   */
  public void record(Collection<Seen> events) {
    if (events.isEmpty()) {
      return;
    }
    Map<String, Seen> first = new java.util.LinkedHashMap<>();
    for (Seen e : events) {
      first.merge(e.userKey() + "\u0000" + e.eventId(), e, (a, b) -> a.offset() <= b.offset() ? a : b);
    }
    List<CheckAndMutate> puts = new ArrayList<>(first.size());
    for (Seen e : first.values()) {
      byte[] row = keys.rowKey(e.userKey());
      byte[] qualifier = Bytes.toBytes(e.eventId());
      String value = e.partition() + "|" + e.offset() + "|" + e.eventName() + "|" + e.cartValue() + "|" + e.at().toEpochMilli();
      puts.add(CheckAndMutate.newBuilder(row).ifNotExists(StateTables.SPEED, qualifier)
          .build(new Put(row).addColumn(StateTables.SPEED, qualifier, Bytes.toBytes(value))));
    }
    retry.call("recording " + puts.size() + " events in the speed view", () -> {
      try (Table table = connection.getTable(tables.users())) {
        table.checkAndMutate(puts);
      }
      return null;
    });
  }

  /**
   * Each user's recorded events beyond {@code cutoff} (partition → last covered offset; absent:
   * nothing covered), one multi-get for all of them.
   */
  public Map<String, Uncovered> uncovered(Collection<String> users, Map<Integer, Long> cutoff) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(users));
    Result[] results = retry.call("reading the speed view of " + distinct.size() + " users", () -> {
      List<Get> gets = new ArrayList<>(distinct.size());
      for (String user : distinct) {
        gets.add(new Get(keys.rowKey(user)).addFamily(StateTables.SPEED));
      }
      try (Table table = connection.getTable(tables.users())) {
        return table.get(gets);
      }
    });
    Map<String, Uncovered> uncovered = new HashMap<>();
    for (int i = 0; i < results.length; i++) {
      List<Seen> events = new ArrayList<>();
      long oldest = Long.MAX_VALUE;
      for (Cell cell : results[i].rawCells()) {
        // partition|offset|event name|cart value|epoch millis, of the event's first copy
        String[] parts = new String(CellUtil.cloneValue(cell), StandardCharsets.UTF_8).split("\\|");
        if (parts.length != 5) {
          continue; // a cell of the earlier layout (keyed by position); it expires with the family's TTL
        }
        int partition = Integer.parseInt(parts[0]);
        long offset = Long.parseLong(parts[1]);
        if (offset <= cutoff.getOrDefault(partition, -1L)) {
          continue;
        }
        events.add(new Seen(distinct.get(i), Bytes.toString(CellUtil.cloneQualifier(cell)), partition, offset, parts[2],
            Double.parseDouble(parts[3]), Instant.ofEpochMilli(Long.parseLong(parts[4]))));
        oldest = Math.min(oldest, cell.getTimestamp());
      }
      uncovered.put(distinct.get(i), new Uncovered(events, oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest)));
    }
    return uncovered;
  }

  /**
   * One user's events beyond the batch view, in the speed view's order: collector time, then Kafka
   * partition and offset, all of the event's first copy. The counters an event sees are those of the
   * events up to and including itself in that order, so they do not depend on how the stream was cut
   * into batches or chunks, and an event decided again (a replayed batch, a redelivered copy) sees
   * exactly what it saw the first time, however many later events were recorded since.
   */
  public static final class Uncovered {
    private static final Comparator<Seen> ORDER = Comparator.comparing(Seen::at).thenComparingInt(Seen::partition)
        .thenComparingLong(Seen::offset);
    private final Map<String, Integer> positions = new HashMap<>();
    private final double[] cartValues;
    private final long[] times;
    private final Instant recordedSince;

    /** {@code recordedSince}: when the oldest of the events was written (its cell's timestamp), null if none. */
    public Uncovered(List<Seen> events, Instant recordedSince) {
      this.recordedSince = recordedSince;
      List<Seen> ordered = new ArrayList<>(events);
      ordered.sort(ORDER);
      cartValues = new double[ordered.size()];
      times = new long[ordered.size()];
      double cart = 0;
      for (int i = 0; i < ordered.size(); i++) {
        cart += ordered.get(i).cartValue();
        cartValues[i] = cart;
        times[i] = ordered.get(i).at().toEpochMilli();
        positions.put(ordered.get(i).eventId(), i);
      }
    }

    /** The counters up to and including {@code eventId}; none when the batch view covers it. */
    public Counters through(String eventId) {
      Integer i = positions.get(eventId);
      return i == null ? Counters.NONE : at(i);
    }

    /**
     * When the oldest event no committed publish covers was recorded: the family's TTL counts from
     * there, so a publish later than that by the TTL would leave a gap.
     */
    public java.util.Optional<Instant> recordedSince() {
      return java.util.Optional.ofNullable(recordedSince);
    }

    /** The counters of every event beyond the batch view. */
    public Counters all() {
      return times.length == 0 ? Counters.NONE : at(times.length - 1);
    }

    private Counters at(int i) {
      return new Counters(i + 1, Math.round(cartValues[i] * 100) / 100.0, Instant.ofEpochMilli(times[i]));
    }
  }
}
