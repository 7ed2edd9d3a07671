package dev.spoor.state.view;

import dev.spoor.state.Retry;
import dev.spoor.state.table.StateTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The meta table of one view: the committed version readers read, the version counter, and one row
 * per publish (run id, status, times, users written, the lake position it covers). Moving the
 * committed version is one check-and-put on one row, so it is atomic and two writers cannot both move
 * it from the same value; the same mutation records the commit of that version in the view's row
 * ({@code c:<version>} = users), so a publish is committed exactly when its pointer move applied, even
 * if the process died before it could write the publish row's status (the status read back is derived
 * from that record). The view's row also holds the publisher's lease ({@link #acquireLease}).
 */
public final class ViewMeta {
  public static final String VIEW = "user_state";
  private static final byte[] COMMITTED = Bytes.toBytes("committed");
  private static final byte[] NEXT = Bytes.toBytes("next");
  private static final byte[] LEASE_OWNER = Bytes.toBytes("lease_owner");
  private static final byte[] LEASE_EXPIRES = Bytes.toBytes("lease_expires");

  private static byte[] commitRecord(long version) {
    return Bytes.toBytes(String.format("c:%019d", version));
  }

  /** One publish as recorded. */
  public record Publish(long version, String runId, String status, Instant startedAt, Instant finishedAt,
      long users, String lakePosition, String kafkaOffsets) {

    /**
     * Per partition of the good topic, the last Kafka offset this view covers (what the speed view
     * must not count again); empty when the publish did not record it.
     */
    public java.util.Map<Integer, Long> coveredOffsets() {
      java.util.Map<Integer, Long> offsets = new java.util.HashMap<>();
      if (kafkaOffsets != null) {
        try {
          java.util.Map<String, Long> parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(kafkaOffsets,
              new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Long>>() {});
          parsed.forEach((k, v) -> offsets.put(Integer.parseInt(k), v));
        } catch (IOException e) {
          throw new IllegalStateException("version " + version + " has unreadable kafka_offsets: " + kafkaOffsets, e);
        }
      }
      return offsets;
    }
  }

  private final Connection connection;
  private final StateTables tables;
  private final Retry retry;

  public ViewMeta(Connection connection, StateTables tables, Retry retry) {
    this.connection = connection;
    this.tables = tables;
    this.retry = retry;
  }

  private static byte[] viewRow() {
    return Bytes.toBytes("view:" + VIEW);
  }

  private static byte[] publishRow(long version) {
    return Bytes.toBytes(String.format("publish:%s:%019d", VIEW, version));
  }

  private static byte[] runRow(String runId) {
    return Bytes.toBytes("run:" + VIEW + ":" + runId);
  }

  /** The version readers read; empty before the first commit. */
  public Optional<Long> committed() {
    return retry.call("reading the committed version", () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        byte[] value = meta.get(new Get(viewRow()).addColumn(StateTables.META, COMMITTED))
            .getValue(StateTables.META, COMMITTED);
        return value == null ? Optional.<Long>empty() : Optional.of(Bytes.toLong(value));
      }
    });
  }

  /** The version a run id was given, if it was. */
  public Optional<Publish> forRun(String runId) {
    return retry.call("looking up run " + runId, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        byte[] value = meta.get(new Get(runRow(runId))).getValue(StateTables.META, Bytes.toBytes("version"));
        return value == null ? Optional.<Publish>empty() : publish(meta, Bytes.toLong(value));
      }
    });
  }

  /** A new version for a run: the counter is incremented atomically, the publish recorded as pending. */
  public long allocate(String runId, String lakePosition, String kafkaOffsets) {
    return retry.call("allocating a version for run " + runId, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        long version = meta.incrementColumnValue(viewRow(), StateTables.META, NEXT, 1);
        meta.put(new Put(publishRow(version))
            .addColumn(StateTables.META, Bytes.toBytes("run_id"), Bytes.toBytes(runId))
            .addColumn(StateTables.META, Bytes.toBytes("status"), Bytes.toBytes("pending"))
            .addColumn(StateTables.META, Bytes.toBytes("started_at"), Bytes.toBytes(Instant.now().toString()))
            .addColumn(StateTables.META, Bytes.toBytes("lake_position"), Bytes.toBytes(lakePosition))
            .addColumn(StateTables.META, Bytes.toBytes("kafka_offsets"), Bytes.toBytes(kafkaOffsets)));
        meta.put(new Put(runRow(runId)).addColumn(StateTables.META, Bytes.toBytes("version"), Bytes.toBytes(version)));
        return version;
      }
    });
  }

  public void status(long version, String status, long users) {
    retry.call("recording version " + version + " as " + status, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        Put put = new Put(publishRow(version))
            .addColumn(StateTables.META, Bytes.toBytes("status"), Bytes.toBytes(status))
            .addColumn(StateTables.META, Bytes.toBytes("finished_at"), Bytes.toBytes(Instant.now().toString()));
        if (users >= 0) {
          put.addColumn(StateTables.META, Bytes.toBytes("users"), Bytes.toBytes(users));
        }
        meta.put(put);
        return null;
      }
    });
  }

  /**
   * Moves the committed version from {@code expected} (empty: none yet) to {@code version} in one
   * atomic step; false when someone else moved it first. A rollback ({@code users} < 0) records no
   * commit.
   */
  public boolean moveCommitted(Optional<Long> expected, long version) {
    return moveCommitted(expected, version, -1);
  }

  /** As above; a publish's commit ({@code users} >= 0) is recorded in the same mutation. */
  public boolean moveCommitted(Optional<Long> expected, long version, long users) {
    return retry.call("moving the committed version to " + version, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        Put put = new Put(viewRow()).addColumn(StateTables.META, COMMITTED, Bytes.toBytes(version));
        if (users >= 0) {
          put.addColumn(StateTables.META, commitRecord(version), Bytes.toBytes(users));
        }
        CheckAndMutate.Builder check = CheckAndMutate.newBuilder(viewRow());
        CheckAndMutate mutation = expected.isPresent()
            ? check.ifEquals(StateTables.META, COMMITTED, Bytes.toBytes(expected.get())).build(put)
            : check.ifNotExists(StateTables.META, COMMITTED).build(put);
        return meta.checkAndMutate(mutation).isSuccess();
      }
    });
  }

  /** The publish of a version, if there is one. */
  public Optional<Publish> publish(long version) {
    return retry.call("reading version " + version, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        return publish(meta, version);
      }
    });
  }

  /** Every publish, oldest first. */
  public List<Publish> publishes() {
    return retry.call("listing publishes", () -> {
      List<Publish> all = new ArrayList<>();
      try (Table meta = connection.getTable(tables.meta());
           ResultScanner scanner = meta.getScanner(new Scan().setStartStopRowForPrefixScan(
               Bytes.toBytes("publish:" + VIEW + ":")))) {
        Result view = meta.get(new Get(viewRow()));
        for (Result r : scanner) {
          all.add(derived(publish(r), view));
        }
      }
      return all;
    });
  }

  private static Optional<Publish> publish(Table meta, long version) throws IOException {
    Result r = meta.get(new Get(publishRow(version)));
    return r.isEmpty() ? Optional.empty() : Optional.of(derived(publish(r), meta.get(new Get(viewRow()))));
  }

  /**
   * A publish recorded as pending whose commit the view's row records is committed: the process
   * moved the pointer and died (or timed out) before writing the status.
   */
  private static Publish derived(Publish p, Result view) {
    byte[] users = view.getValue(StateTables.META, commitRecord(p.version()));
    if (!p.status().equals("pending") || users == null) {
      return p;
    }
    return new Publish(p.version(), p.runId(), "committed", p.startedAt(), p.finishedAt(), Bytes.toLong(users),
        p.lakePosition(), p.kafkaOffsets());
  }

  /**
   * Takes the publisher's lease for {@code runId} until {@code ttl} from now: one publisher at a time.
   * Granted when nobody holds it, when it expired or its holder is a process of this host that is
   * gone, or when the same run holds it (a killed publish resumed by its run id). Otherwise fails naming the holder and its expiry. Check-and-put on the
   * expiry read, so two publishers racing for it cannot both win.
   */
  public void acquireLease(String runId, String holder, java.time.Duration ttl) {
    retry.call("taking the publish lease for run " + runId, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        Result row = meta.get(new Get(viewRow()).addColumn(StateTables.META, LEASE_OWNER)
            .addColumn(StateTables.META, LEASE_EXPIRES));
        byte[] owner = row.getValue(StateTables.META, LEASE_OWNER);
        byte[] expires = row.getValue(StateTables.META, LEASE_EXPIRES);
        long now = System.currentTimeMillis();
        Put put = new Put(viewRow())
            .addColumn(StateTables.META, LEASE_OWNER, Bytes.toBytes(runId + "\n" + holder))
            .addColumn(StateTables.META, LEASE_EXPIRES, Bytes.toBytes(now + ttl.toMillis()));
        CheckAndMutate.Builder check = CheckAndMutate.newBuilder(viewRow());
        if (owner == null || expires == null) {
          if (meta.checkAndMutate(check.ifNotExists(StateTables.META, LEASE_EXPIRES).build(put)).isSuccess()) {
            return null;
          }
        } else {
          String[] held = Bytes.toString(owner).split("\n", 2);
          boolean mine = held[0].equals(runId);
          boolean free = Bytes.toLong(expires) < now || (held.length > 1 && deadOnThisHost(held[1], holder));
          if ((mine || free)
              && meta.checkAndMutate(check.ifEquals(StateTables.META, LEASE_EXPIRES, expires).build(put)).isSuccess()) {
            return null;
          }
          if (!mine && !free) {
            throw new IllegalStateException("another publish holds the lease: run " + held[0] + " ("
                + (held.length > 1 ? held[1] : "?") + ") until " + Instant.ofEpochMilli(Bytes.toLong(expires))
                + "; wait for it to finish, or for the lease to expire");
          }
        }
        throw new IllegalStateException("another publish took the lease at the same moment; run again");
      }
    });
  }

  /**
   * Whether a holder ("pid N on HOST") is a process of this host ({@code me} names the same host)
   * that no longer runs: a publisher killed here frees its lease at once, not after the expiry.
   */
  static boolean deadOnThisHost(String heldBy, String me) {
    int on = heldBy.indexOf(" on ");
    int myOn = me.indexOf(" on ");
    if (!heldBy.startsWith("pid ") || on < 0 || myOn < 0 || !heldBy.substring(on).equals(me.substring(myOn))) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(heldBy.substring(4, on))).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Gives the lease back if {@code runId} holds it (a no-op otherwise). */
  public void releaseLease(String runId) {
    retry.call("releasing the publish lease of run " + runId, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        byte[] owner = meta.get(new Get(viewRow()).addColumn(StateTables.META, LEASE_OWNER))
            .getValue(StateTables.META, LEASE_OWNER);
        if (owner != null && Bytes.toString(owner).split("\n", 2)[0].equals(runId)) {
          meta.checkAndMutate(CheckAndMutate.newBuilder(viewRow()).ifEquals(StateTables.META, LEASE_OWNER, owner)
              .build(new org.apache.hadoop.hbase.client.Delete(viewRow()).addColumns(StateTables.META, LEASE_OWNER)
                  .addColumns(StateTables.META, LEASE_EXPIRES)));
        }
        return null;
      }
    });
  }

  private static Publish publish(Result r) {
    String row = Bytes.toString(r.getRow());
    long version = Long.parseLong(row.substring(row.lastIndexOf(':') + 1));
    byte[] users = r.getValue(StateTables.META, Bytes.toBytes("users"));
    return new Publish(version, text(r, "run_id"), text(r, "status"), instant(r, "started_at"), instant(r, "finished_at"),
        users == null ? -1 : Bytes.toLong(users), text(r, "lake_position"), text(r, "kafka_offsets"));
  }

  private static String text(Result r, String column) {
    byte[] value = r.getValue(StateTables.META, Bytes.toBytes(column));
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  private static Instant instant(Result r, String column) {
    String text = text(r, column);
    return text == null ? null : Instant.parse(text);
  }
}
