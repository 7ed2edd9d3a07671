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
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The speed view: what the stream has seen of each user that the committed batch view does not cover
 * yet. Every event the speed layer reads is recorded in the user's row, family {@code s}, under its
 * Kafka position (partition, offset) — replays write the same cell, so nothing counts twice. A batch
 * view covers, per partition of the good topic, every offset up to the highest one its
 * {@code events_clean} held (the lander reads each partition in order); the speed view counts only
 * cells above that cutoff. So when a new batch view is committed, what it covers drops out of the
 * speed view at the same instant: no double counting, no gap. Cells expire after two days (the
 * family's TTL), long after a daily batch has covered them.
 */
public final class SpeedView {
  /** One event as the speed view records it. */
  public record Seen(String userKey, int partition, long offset, String eventName, double cartValue, Instant at) {}

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

  static byte[] qualifier(int partition, long offset) {
    return Bytes.add(Bytes.toBytes(partition), Bytes.toBytes(offset));
  }

  /** Records events (idempotent: one cell per Kafka position). */
  public void record(Collection<Seen> events) {
    if (events.isEmpty()) {
      return;
    }
    retry.call("recording " + events.size() + " events in the speed view", () -> {
      try (BufferedMutator mutator = connection.getBufferedMutator(tables.users())) {
        for (Seen e : events) {
          String value = e.eventName() + "|" + e.cartValue() + "|" + e.at().toEpochMilli();
          mutator.mutate(new Put(keys.rowKey(e.userKey()))
              .addColumn(StateTables.SPEED, qualifier(e.partition(), e.offset()), Bytes.toBytes(value)));
        }
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
        byte[] q = CellUtil.cloneQualifier(cell);
        int partition = Bytes.toInt(q, 0);
        long offset = Bytes.toLong(q, 4);
        if (offset <= cutoff.getOrDefault(partition, -1L)) {
          continue;
        }
        String[] parts = new String(CellUtil.cloneValue(cell), StandardCharsets.UTF_8).split("\\|");
        events++;
        cart += Double.parseDouble(parts[1]);
        last = Math.max(last, Long.parseLong(parts[2]));
      }
      counters.put(distinct.get(i), events == 0 ? Counters.NONE
          : new Counters(events, Math.round(cart * 100) / 100.0, Instant.ofEpochMilli(last)));
    }
    return counters;
  }

}
