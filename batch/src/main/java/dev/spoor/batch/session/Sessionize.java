package dev.spoor.batch.session;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;

import dev.spoor.batch.run.UserKey;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code events_clean} → {@code sessions}: per user (user id, else domain user id), events in event
 * time order ({@code derived_tstamp}, ties by {@code event_id}); a new session starts when the gap to
 * the previous event exceeds the inactivity timeout. Arrival order plays no part, so shuffled, late and
 * redelivered input (once cleaned) gives the same sessions as sorted input.
 *
 * <p>Output: {@code user_key, session_id} (a hash of the user and the session's first event, stable
 * across runs), {@code session_index} (1-based per user), start, end, duration, event count, entry and
 * exit page (first and last page URL), events per event name, and {@code session_date} (UTC date of
 * the start, the partition).
 *
 * <p>One shuffle and one sort: the events are partitioned by user and sorted by (user, time, event
 * id), then each partition is read once, each session's row made when the next one starts. No window
 * and no aggregation after it (a window formulation sorted the same rows and then aggregated them
 * twice, per session and event name, then per session: about half of its time on 10 M events).
 */
public final class Sessionize {
  private Sessionize() {}

  /** One row per session, before the columns derived from its values. */
  private static final StructType SESSION = new StructType()
      .add("user_key", DataTypes.StringType, false)
      .add("_first_event_id", DataTypes.StringType)
      .add("session_index", DataTypes.IntegerType, false)
      .add("session_start", DataTypes.TimestampType)
      .add("session_end", DataTypes.TimestampType)
      .add("event_count", DataTypes.LongType, false)
      .add("entry_page", DataTypes.StringType)
      .add("exit_page", DataTypes.StringType)
      .add("events_by_name", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false));

  public static Dataset<Row> sessions(Dataset<Row> clean, Duration inactivity) {
    long gapMicros = inactivity.toNanos() / 1000;
    return clean
        .select(UserKey.ofEvent().as("user_key"), col("derived_tstamp"), col("event_id"), col("event_name"),
            col("page_url"))
        .filter(col("user_key").isNotNull())
        .repartition(col("user_key"))
        .sortWithinPartitions("user_key", "derived_tstamp", "event_id")
        .mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new Sessions(rows, gapMicros), Encoders.row(SESSION))
        .select(
            col("user_key"),
            substring(sha2(concat_ws("|", col("user_key"), col("_first_event_id")), 256), 1, 32).as("session_id"),
            col("session_index"),
            col("session_start"),
            col("session_end"),
            unix_micros(col("session_end")).minus(unix_micros(col("session_start"))).divide(1_000_000.0)
                .as("duration_seconds"),
            col("event_count"),
            col("entry_page"),
            col("exit_page"),
            col("events_by_name"),
            to_date(col("session_start")).as("session_date"));
  }

  /**
   * The sessions of a partition's events, sorted by (user, time, event id): columns user_key,
   * derived_tstamp, event_id, event_name, page_url. Holds one session at a time.
   */
  private static final class Sessions implements Iterator<Row> {
    private final Iterator<Row> events;
    private final long gapMicros;
    private Row pending; // the first event of the next session, read while closing the current one
    private String lastUser;
    private int lastIndex;

    Sessions(Iterator<Row> events, long gapMicros) {
      this.events = events;
      this.gapMicros = gapMicros;
      this.pending = events.hasNext() ? events.next() : null;
    }

    @Override
    public boolean hasNext() {
      return pending != null;
    }

    @Override
    public Row next() {
      if (pending == null) {
        throw new NoSuchElementException();
      }
      Row first = pending;
      String user = first.getString(0);
      Timestamp start = first.getTimestamp(1);
      Timestamp end = start;
      long count = 0;
      String entry = null;
      String exit = null;
      TreeMap<String, Long> byName = new TreeMap<>();
      Row event = first;
      int index = sessionIndex(user);
      while (true) {
        count++;
        byName.merge(event.getString(3), 1L, Long::sum);
        if (!event.isNullAt(4)) {
          entry = entry == null ? event.getString(4) : entry;
          exit = event.getString(4);
        }
        end = event.getTimestamp(1);
        pending = events.hasNext() ? events.next() : null;
        if (pending == null || !pending.getString(0).equals(user) || startsSession(end, pending.getTimestamp(1))) {
          break;
        }
        event = pending;
      }
      return RowFactory.create(user, first.getString(2), index, start, end, count, entry, exit,
          scala.jdk.javaapi.CollectionConverters.asScala(byName)); // a Row holds Scala maps; in name order
    }

    /** 1 for a user's first session, then one more for each. */
    private int sessionIndex(String user) {
      lastIndex = user.equals(lastUser) ? lastIndex + 1 : 1;
      lastUser = user;
      return lastIndex;
    }

    /** A gap longer than the timeout, or no time to measure it by, starts a session. */
    private boolean startsSession(Timestamp previous, Timestamp next) {
      return previous == null || next == null || micros(next) - micros(previous) > gapMicros;
    }

    private static long micros(Timestamp t) {
      return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
    }
  }
}
