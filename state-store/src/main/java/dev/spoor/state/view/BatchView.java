package dev.spoor.state.view;

import dev.spoor.fault.Failpoints;
import dev.spoor.state.Retry;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.RowKeys;
import dev.spoor.state.table.StateTables;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.BufferedMutatorParams;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;

/**
 * Publishing the batch view, versioned: {@link #begin} gives a run its version (the same one again
 * when the run is resumed), writers put each changed user's document stamped with that version as the
 * cell timestamp, and {@link #commit} moves the committed version in one atomic step. Readers read
 * cells at or below the committed version, so a publish in progress, killed or failed is invisible;
 * users a publish did not touch keep their older cells, visible as before.
 *
 * <p>Versions that will never be committed (a pending publish of another run, a version rolled back)
 * are purged, their cells deleted exactly, before a new version is given out; otherwise a later
 * version would see them; the version readers are on never is. One publisher at a time, enforced by
 * a lease in the meta table ({@link #begin} takes it, {@link #commit} gives it back, and so does
 * {@link #release} for a publish that fails); readers any
 * number.
 */
public final class BatchView {
  /**
   * How long a publisher's lease lasts: longer than any publish. A publish killed while holding it
   * is resumed by its own run id at once; another run waits for the expiry.
   */
  static final java.time.Duration LEASE = java.time.Duration.ofMinutes(30);

  private final Connection connection;
  private final StateStoreConfig config;
  private final StateTables tables;
  private final ViewMeta meta;

  public BatchView(Connection connection, StateStoreConfig config) {
    this.connection = connection;
    this.config = config;
    this.tables = new StateTables(config);
    this.meta = new ViewMeta(connection, tables, new Retry(config));
  }

  public ViewMeta meta() {
    return meta;
  }

  /** A run's version: new, resumed (pending), or already committed. */
  public record Begun(long version, boolean alreadyCommitted, boolean resumed) {}

  public Begun begin(String runId, String lakePosition) {
    return begin(runId, lakePosition, "{}");
  }

  /**
   * As above, recording the Kafka offsets (partition → last offset, JSON) the view covers, which the
   * speed view uses as its cutoff.
   */
  public Begun begin(String runId, String lakePosition, String kafkaOffsets) {
    meta.acquireLease(runId, holder(), LEASE);
    Optional<ViewMeta.Publish> existing = meta.forRun(runId);
    if (existing.isPresent()) {
      ViewMeta.Publish p = existing.get();
      if (p.status().equals("committed")) {
        return new Begun(p.version(), true, false);
      }
      if (p.status().equals("pending")) {
        return new Begun(p.version(), false, true);
      }
      throw new IllegalStateException("run " + runId + " published version " + p.version() + ", which is " + p.status()
          + "; publish it again under a new run id");
    }
    Optional<Long> pointer = meta.committed();
    for (ViewMeta.Publish p : meta.publishes()) {
      // Never what readers are on. A version after the pointer that says committed is one a killed
      // rollback moved back from: it must not become visible again when the pointer passes it.
      boolean live = pointer.isPresent() && p.version() == pointer.get();
      boolean rolledBackMidway = p.status().equals("committed") && pointer.isPresent() && p.version() > pointer.get();
      if (live && p.status().equals("pending")) {
        meta.status(p.version(), "committed", p.users()); // its commit died before recording the status
      }
      if (!live && (p.status().equals("pending") || p.status().equals("rolled-back") || rolledBackMidway)) {
        purge(p.version());
        meta.status(p.version(), p.status().equals("pending") ? "abandoned" : "rolled-back-purged", -1);
      }
    }
    return new Begun(meta.allocate(runId, lakePosition, kafkaOffsets), false, false);
  }

  /**
   * Makes {@code version} the one readers read: one atomic mutation moves the pointer and records the
   * commit, so the version is committed exactly when the pointer moved. Idempotent: a retried commit
   * (the first attempt applied but its answer was lost) succeeds. Fails if another version was
   * committed meanwhile.
   */
  public void commit(long version, long users) {
    Optional<Long> current = meta.committed();
    if (current.isPresent() && current.get() == version) {
      meta.status(version, "committed", users); // applied by an earlier attempt
      meta.publish(version).ifPresent(p -> meta.releaseLease(p.runId()));
      return;
    }
    if (current.isPresent() && current.get() > version) {
      throw new IllegalStateException("version " + version + " is not newer than the committed " + current.get());
    }
    if (!meta.moveCommitted(current, version, users) && !meta.committed().equals(Optional.of(version))) {
      throw new IllegalStateException("the committed version moved while version " + version + " was published");
    }
    Failpoints.hit("publish.after-pointer-move");
    meta.status(version, "committed", users);
    meta.publish(version).ifPresent(p -> meta.releaseLease(p.runId())); // the publish is over
  }

  /** Gives back the publisher's lease of {@code runId} (a commit does; a publish that fails must). */
  public void release(String runId) {
    meta.releaseLease(runId);
  }

  private static String holder() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    return "pid " + ProcessHandle.current().pid() + " on " + host;
  }

  /**
   * Moves the committed version back to {@code target} (default: the newest committed version before
   * the current one), then purges the versions after it. Returns the version now committed.
   */
  public long rollback(Optional<Long> target) {
    long current = meta.committed().orElseThrow(() -> new IllegalStateException("nothing is committed yet"));
    List<ViewMeta.Publish> publishes = meta.publishes();
    long to = target.orElseGet(() -> publishes.stream()
        .filter(p -> p.version() < current && p.status().equals("committed"))
        .mapToLong(ViewMeta.Publish::version).max()
        .orElseThrow(() -> new IllegalStateException("no committed version before " + current)));
    ViewMeta.Publish wanted = publishes.stream().filter(p -> p.version() == to).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no version " + to));
    if (to >= current || !wanted.status().equals("committed")) {
      throw new IllegalArgumentException("version " + to + " is " + wanted.status()
          + (to >= current ? " and not before the committed " + current : "") + ": only an earlier committed version");
    }
    long reachable = publishes.stream().filter(p -> p.status().equals("committed") || p.version() == current)
        .mapToLong(ViewMeta.Publish::version).filter(v -> v > to).count();
    if (reachable >= config.versionsKept()) {
      throw new IllegalArgumentException("version " + to + " is " + reachable + " publishes back; cells keep "
          + config.versionsKept() + " versions (spoor.state.versions-kept)");
    }
    if (!meta.moveCommitted(Optional.of(current), to)) {
      throw new IllegalStateException("the committed version moved during the rollback");
    }
    for (ViewMeta.Publish p : publishes) {
      if (p.version() > to && p.status().equals("committed")) {
        meta.status(p.version(), "rolled-back", -1);
        purge(p.version());
        meta.status(p.version(), "rolled-back-purged", -1);
      }
    }
    return to;
  }

  /**
   * The users of one salt bucket whose document is visible at {@code version} (a non-empty cell at or
   * below it): what a full publish compares with its inputs to find users who left. Runs on an
   * executor (it opens its own connection).
   */
  public static List<String> visibleUsers(StateStoreConfig config, long version, int bucket) throws IOException {
    List<String> users = new java.util.ArrayList<>();
    try (Connection connection = ConnectionFactory.createConnection(config.hbase());
         Table table = connection.getTable(new StateTables(config).users());
         ResultScanner scanner = table.getScanner(new Scan().setStartStopRowForPrefixScan(new byte[] {(byte) bucket})
             .addColumn(StateTables.BATCH, StateTables.DOC).setTimeRange(0, version + 1).readVersions(1)
             .setFilter(new org.apache.hadoop.hbase.filter.KeyOnlyFilter(true)).setCaching(5000))) {
      for (Result r : scanner) {
        byte[] length = r.getValue(StateTables.BATCH, StateTables.DOC);
        if (length != null && org.apache.hadoop.hbase.util.Bytes.toInt(length) > 0) {
          users.add(RowKeys.userKey(r.getRow()));
        }
      }
    }
    return users;
  }

  /**
   * Of {@code users}, those whose document is visible at {@code version} (a non-empty cell at or below
   * it), read in multi-gets of 1 000. Runs on an executor (it opens its own connection).
   */
  public static List<String> visibleAmong(StateStoreConfig config, long version, java.util.Iterator<String> users)
      throws IOException {
    RowKeys keys = new RowKeys(config.saltBuckets());
    List<String> visible = new java.util.ArrayList<>();
    try (Connection connection = ConnectionFactory.createConnection(config.hbase());
         Table table = connection.getTable(new StateTables(config).users())) {
      while (users.hasNext()) {
        List<Get> gets = new java.util.ArrayList<>();
        while (users.hasNext() && gets.size() < 1000) {
          gets.add(new Get(keys.rowKey(users.next()))
              .addColumn(StateTables.BATCH, StateTables.DOC).setTimeRange(0, version + 1).readVersions(1));
        }
        for (Result r : table.get(gets)) {
          byte[] doc = r.getValue(StateTables.BATCH, StateTables.DOC);
          if (doc != null && doc.length > 0) {
            visible.add(RowKeys.userKey(r.getRow()));
          }
        }
      }
    }
    return visible;
  }

  /** Deletes exactly the cells written with {@code version} (a time-range scan skips other store files). */
  void purge(long version) {
    try (Table users = connection.getTable(tables.users());
         ResultScanner scanner = users.getScanner(new Scan().addFamily(StateTables.BATCH)
             .setTimeRange(version, version + 1).setCaching(1000));
         BufferedMutator mutator = connection.getBufferedMutator(tables.users())) {
      for (Result r : scanner) {
        for (Cell cell : r.rawCells()) {
          mutator.mutate(new Delete(r.getRow()).addColumn(CellUtil.cloneFamily(cell), CellUtil.cloneQualifier(cell),
              cell.getTimestamp()));
        }
      }
    } catch (IOException e) {
      throw new dev.spoor.state.StateStoreUnavailableException("purging version " + version + " failed", e);
    }
  }

  /**
   * Writes user documents of one version, buffered; one per Spark partition (it opens its own
   * connection, so it can be created on an executor from the serialisable config).
   */
  public static final class Writer implements AutoCloseable {
    private final Connection connection;
    private final BufferedMutator mutator;
    private final RowKeys keys;
    private final long version;
    private long written;

    public Writer(StateStoreConfig config, long version) throws IOException {
      this.connection = ConnectionFactory.createConnection(config.hbaseForBufferedWrites());
      this.mutator = connection.getBufferedMutator(new BufferedMutatorParams(new StateTables(config).users())
          .writeBufferSize(4L * 1024 * 1024));
      this.keys = new RowKeys(config.saltBuckets());
      this.version = version;
    }

    public void put(String userKey, byte[] document) throws IOException {
      mutator.mutate(new Put(keys.rowKey(userKey)).addColumn(StateTables.BATCH, StateTables.DOC, version, document));
      written++;
    }

    /** The user is no longer in the view as of this version. */
    public void remove(String userKey) throws IOException {
      put(userKey, new byte[0]);
    }

    public long written() {
      return written;
    }

    @Override
    public void close() throws IOException {
      try {
        mutator.close();
      } finally {
        connection.close();
      }
    }
  }
}
