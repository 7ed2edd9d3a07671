package dev.spoor.speed.decide;

import dev.spoor.lake.erasure.ErasedIds;
import dev.spoor.lake.erasure.ErasureKey;
import dev.spoor.speed.config.SpeedConfig;
import java.time.Duration;

import dev.spoor.fault.Failpoints;
import dev.spoor.speed.state.StateColumns;
import dev.spoor.state.StateStoreUnavailableException;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.view.UserState;
import dev.spoor.state.view.ViewMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Runs in each task, where the events are: takes the partition's events in chunks, records each chunk
 * in the speed view, reads the users' batch view at one committed version and their speed counters
 * beyond that version's Kafka cutoff (one multi-get each), and emits every event with its user's
 * {@code state} appended: the batch view and the speed counters up to and including the event (see
 * {@link SpeedView.Uncovered}), so a replayed event is decided as it was the first time. A chunk whose
 * lookup meets an HBase outage waits (with back-off, up to a minute between tries) until HBase
 * answers: no event is decided without its state, none is skipped.
 * Memory is bounded by the chunk ({@code spoor.speed.lookup-chunk}), not by the micro-batch. Between two
 * chunks is failpoint {@code speed.mid-batch}: earlier chunks' outputs sent, the batch not committed.
 *
 * <p>In long-running tasks (continuous, real-time) the input waits for events that have not arrived
 * yet, so a chunk that waited to fill would hold its events back: there a {@link Prefetcher} reads the
 * input and a chunk is what has arrived (one event when caught up, up to the chunk size behind).
 */
public final class StateLookup implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final StateStoreConfig config;
  private final int chunkSize;
  private final boolean longRunning;
  private final ErasureKey erasureKey;
  private final Duration erasedRefresh;
  private final int user;
  private final int userId;
  private final int domainUserid;
  private final int event;
  private final int partition;
  private final int offset;
  private final int name;
  private final int cart;
  private final int collected;

  /**
   * For events of {@code schema} (user_key, user_id, domain_userid, kafka_partition, kafka_offset,
   * event_name, _cart, collector_tstamp), in long-running tasks (continuous, real-time) or micro-batches
   * as {@code speed} says.
   */
  public StateLookup(SpeedConfig speed, StructType schema) {
    this.config = speed.state();
    this.chunkSize = speed.lookupChunk();
    this.longRunning = speed.mode().longRunningTasks();
    this.erasureKey = speed.erasureKey();
    this.erasedRefresh = speed.erasedRefresh();
    this.user = schema.fieldIndex("user_key");
    this.userId = schema.fieldIndex("user_id");
    this.domainUserid = schema.fieldIndex("domain_userid");
    this.event = schema.fieldIndex("event_id");
    this.partition = schema.fieldIndex("kafka_partition");
    this.offset = schema.fieldIndex("kafka_offset");
    this.name = schema.fieldIndex("event_name");
    this.cart = schema.fieldIndex("_cart");
    this.collected = schema.fieldIndex("collector_tstamp");
  }

  /** The schema of what it emits: the events' columns and {@code state}. */
  public static StructType output(StructType events) {
    return events.add("state", StateColumns.STATE, false);
  }

  /** Closes the state store connections this JVM opened (at shutdown). */
  public static void closeConnections() {
    ExecutorStateStore.closeAll();
  }

  @Override
  public Iterator<Row> call(Iterator<Row> events) {
    java.util.function.Supplier<List<Row>> chunks;
    if (longRunning) {
      Prefetcher<Row> arrived = new Prefetcher<>(events, chunkSize, "spoor-speed-input-" + org.apache.spark.TaskContext.getPartitionId());
      chunks = () -> arrived.next(chunkSize);
    } else {
      Chunker<Row> chunker = new Chunker<>(chunkSize);
      chunks = () -> chunker.next(events);
    }
    return new Iterator<>() {
      private Iterator<Row> decided = Collections.emptyIterator();
      private int taken;
      private boolean inputEnded;

      @Override
      public boolean hasNext() {
        while (!decided.hasNext() && !inputEnded) {
          if (taken++ > 0) {
            // The outputs of the task's earlier chunks are with the Kafka sink; the batch's offsets are not committed.
            Failpoints.hit("speed.mid-batch");
          }
          List<Row> chunk = chunks.get();
          if (chunk.isEmpty()) {
            inputEnded = true;
          } else {
            decided = withState(chunk).iterator();
          }
        }
        return decided.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return decided.next();
      }
    };
  }

  private List<Row> withState(List<Row> events) {
    // Events of users erased since they were collected are dropped before anything is recorded of them.
    ErasedIds erased = untilAvailable(() -> ErasedEvents.current(ExecutorStateStore.of(config), config, erasureKey,
        erasedRefresh));
    List<Row> chunk = erased.isEmpty() ? events : events.stream()
        .filter(r -> !erased.drops(r.getString(userId), r.getString(domainUserid), r.getTimestamp(collected))).toList();
    if (chunk.isEmpty()) {
      return chunk;
    }
    Set<String> users = new LinkedHashSet<>();
    List<SpeedView.Seen> seen = new ArrayList<>(chunk.size());
    for (Row r : chunk) {
      users.add(r.getString(user));
      seen.add(new SpeedView.Seen(r.getString(user), r.getString(event), r.getInt(partition), r.getLong(offset), r.getString(name),
          r.getDouble(cart), r.getTimestamp(collected).toInstant()));
    }
    Map<String, UserLookup> states = untilAvailable(() -> lookUp(seen, users));
    List<Row> out = new ArrayList<>(chunk.size());
    long now = System.currentTimeMillis();
    for (Row r : chunk) {
      SpeedMetrics.latency(now - r.getTimestamp(collected).getTime());
      Object[] values = new Object[r.length() + 1];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      UserLookup state = states.get(r.getString(user));
      values[r.length()] = state.batch().with(state.speed().through(r.getString(event)));
      out.add(RowFactory.create(values));
    }
    SpeedMetrics.decided(chunk.size());
    return out;
  }

  /** A user's batch view as columns and their events beyond it. */
  private record UserLookup(StateColumns.Batch batch, SpeedView.Uncovered speed) {}

  /** Records the chunk, then reads batch view and speed view at one committed version. */
  private Map<String, UserLookup> lookUp(List<SpeedView.Seen> seen, Set<String> users) throws IOException {
    ExecutorStateStore.Handles store = ExecutorStateStore.of(config);
    long started = System.nanoTime();
    store.speedView().record(seen);
    long recorded = System.nanoTime();
    long version = store.reader().committedVersion();
    Map<Integer, Long> cutoff = version < 0 ? Map.of()
        : store.meta().publish(version).map(ViewMeta.Publish::coveredOffsets).orElse(Map.of());
    Map<String, UserState> batchView = store.reader().getAll(users, version);
    Map<String, SpeedView.Uncovered> speed = store.speedView().uncovered(users, cutoff);
    SpeedMetrics.timed(recorded - started, System.nanoTime() - recorded);
    Map<String, UserLookup> lookups = new HashMap<>();
    for (String u : users) {
      lookups.put(u, new UserLookup(StateColumns.of(batchView.get(u)), speed.get(u)));
      speed.get(u).recordedSince().ifPresent(SpeedMetrics::uncoveredSince);
    }
    return lookups;
  }

  @FunctionalInterface
  private interface Lookup<T> {
    T run() throws IOException;
  }

  private <T> T untilAvailable(Lookup<T> lookup) {
    long pause = config.backoff().toMillis();
    while (true) {
      try {
        return lookup.run();
      } catch (StateStoreUnavailableException | IOException e) {
        SpeedMetrics.outage();
        System.err.println("speed: state store unavailable (" + e.getMessage() + "); retrying in " + pause + " ms");
        ExecutorStateStore.invalidate(config);
        try {
          Thread.sleep(pause); // back-off while HBase is down; the chunk is held, not dropped
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the state store", interrupted);
        }
        pause = Math.min(60_000, pause * 2);
      }
    }
  }
}
