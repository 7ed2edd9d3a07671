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
 * it from the same value.
 */
public final class ViewMeta {
  public static final String VIEW = "user_state";
  private static final byte[] COMMITTED = Bytes.toBytes("committed");
  private static final byte[] NEXT = Bytes.toBytes("next");

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
   * atomic step; false when someone else moved it first.
   */
  public boolean moveCommitted(Optional<Long> expected, long version) {
    return retry.call("moving the committed version to " + version, () -> {
      try (Table meta = connection.getTable(tables.meta())) {
        Put put = new Put(viewRow()).addColumn(StateTables.META, COMMITTED, Bytes.toBytes(version));
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
        for (Result r : scanner) {
          all.add(publish(r));
        }
      }
      return all;
    });
  }

  private static Optional<Publish> publish(Table meta, long version) throws IOException {
    Result r = meta.get(new Get(publishRow(version)));
    return r.isEmpty() ? Optional.empty() : Optional.of(publish(r));
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
