package dev.spoor.state.read;

import dev.spoor.state.Retry;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.RowKeys;
import dev.spoor.state.table.StateTables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * expire after the family's TTL, far beyond the publish interval.
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

  /** Counters of each user beyond {@code cutoff} (partition → last covered offset; absent: nothing covered). */
  public Map<String, Counters> counters(Collection<String> users, Map<Integer, Long> cutoff) {
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
    Map<String, Counters> counters = new HashMap<>();
    for (int i = 0; i < results.length; i++) {
      long events = 0;
      double cart = 0;
      long last = Long.MIN_VALUE;
      for (Cell cell : results[i].rawCells()) {
        // partition|offset|event name|cart value|epoch millis, of the event's first copy
        String[] parts = new String(CellUtil.cloneValue(cell), StandardCharsets.UTF_8).split("\\|");
        if (parts.length != 5) {
          continue; // a cell of the earlier layout (keyed by position); it expires with the family's TTL
        }
        if (Long.parseLong(parts[1]) <= cutoff.getOrDefault(Integer.parseInt(parts[0]), -1L)) {
          continue;
        }
        events++;
        cart += Double.parseDouble(parts[3]);
        last = Math.max(last, Long.parseLong(parts[4]));
      }
      counters.put(distinct.get(i), events == 0 ? Counters.NONE
          : new Counters(events, Math.round(cart * 100) / 100.0, Instant.ofEpochMilli(last)));
    }
    return counters;
  }

}
