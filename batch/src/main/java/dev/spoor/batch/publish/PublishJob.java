package dev.spoor.batch.publish;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.batch.run.BatchRuns;
import dev.spoor.fault.Failpoints;
import dev.spoor.batch.run.ChangedRows;
import dev.spoor.batch.run.DiffMerge;
import dev.spoor.batch.run.RunOptions;
import dev.spoor.batch.run.UserKey;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.ViewMeta;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code publish} job: the per-user gold tables ({@code user_features}, {@code user_scores},
 * {@code user_segments}, {@code funnel_progress}) → the HBase batch view, as a new version.
 *
 * <p>Only users whose rows changed since the lake position of the last committed publish (Delta
 * change feeds, as for the other jobs) are written, each as one JSON document stamped with the new
 * version; users who left the tables get a tombstone (in a full publish too: every user visible in the
 * committed version and absent from the inputs). Writing happens from the Spark partitions: one
 * connection and {@code BufferedMutator} each, or, for a publish of at least
 * {@code spoor.batch.publish.bulk-load-min-users}, HFiles that HBase bulk-loads ({@link HFileBulkLoad}).
 * Then the committed version moves in one atomic step:
 * readers see the old view until then and the whole new one after. A publish killed midway is resumed
 * by running the same run id again (same version, same cells), or abandoned by the next run id.
 */
public final class PublishJob {
  public static final List<String> INPUTS = List.of("user_features", "user_scores", "user_segments", "funnel_progress");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final String lakeRoot;
  private final StateStoreConfig state;
  private final PublishSettings settings;
  private final PrintStream log;

  public PublishJob(SparkSession spark, String lakeRoot, StateStoreConfig state, PublishSettings settings,
      PrintStream log) {
    this.spark = spark;
    this.lakeRoot = lakeRoot;
    this.state = state;
    this.settings = settings;
    this.log = log;
  }

  /** A publish that always writes through {@code BufferedMutator}s (small views). */
  public PublishJob(SparkSession spark, String lakeRoot, StateStoreConfig state, PrintStream log) {
    this(spark, lakeRoot, state, PublishSettings.mutatorsOnly(), log);
  }

  /** How a publish went; {@code writer} is {@code bulk-load} or {@code mutator} ({@code -} when nothing was written). */
  public record Outcome(String status, String mode, long version, long users, String writer) {}

  public Outcome run(RunOptions options) {
    Instant started = Instant.now();
    BatchRuns runs = new BatchRuns(spark, lakeRoot);
    Map<String, Long> versions = new LinkedHashMap<>();
    // The lake position a publish records names each table by its Delta id too: a lake deleted and
    // built again has tables at the same versions, which are not the tables the view was made from.
    Map<String, Long> position = new LinkedHashMap<>();
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    for (String input : INPUTS) {
      String path = lakeRoot + "/" + input;
      DeltaTable table = DeltaTable.forPath(spark, path);
      long version = table.history(1).first().getLong(0);
      versions.put(input, version);
      position.put(positionKey(input, table.detail().first().getAs("id")), version);
      inputs.put(input, spark.read().format("delta").option("versionAsOf", version).load(path));
    }
    try (Connection connection = ConnectionFactory.createConnection(state.hbase())) {
      try (Admin admin = connection.getAdmin()) {
        new StateTables(state).init(admin).forEach(line -> log.println("publish: " + line));
      }
      BatchView view = new BatchView(connection, state);
      Optional<ViewMeta.Publish> done = view.meta().forRun(options.runId());
      if (done.isPresent() && done.get().status().equals("committed")) {
        log.printf("publish: run %s already committed as version %d; nothing to do%n", options.runId(), done.get().version());
        return new Outcome("already-succeeded", "-", done.get().version(), 0, "-");
      }
      Dataset<Row> scope = null;
      String mode = "full";
      Optional<Map<String, Long>> since = options.full() ? Optional.empty() : lastPosition(view);
      if (since.isPresent()) {
        scope = changedUsers(inputs, since.get(), position, versions);
        mode = scope == null ? "all" : "incremental";
      }
      Dataset<Row> documents = documents(inputs, scope);
      Optional<Long> committed = view.meta().committed();
      if (committed.isPresent()) {
        // Who was visible and is no longer in the inputs gets a tombstone: of the changed users, or in
        // a full publish of everyone visible. Never who is not visible (an erased user above all: a
        // tombstone would write the user's key into the view again).
        Dataset<Row> visible = scope == null ? visibleUsers(committed.get()) : visibleAmong(scope, committed.get());
        documents = documents.unionByName(gone(inputs.get("user_features"), visible));
      }
      // The size that picks the writer: an incremental publish counts its documents (a few, cached for
      // the write); a full one takes the users of user_features from Delta's statistics, without
      // evaluating the documents twice.
      long planned;
      if (scope != null) {
        documents = documents.cache();
        planned = documents.count();
        if (planned == 0) {
          log.println("publish: no user changed since the committed version; nothing to publish");
          documents.unpersist();
          return new Outcome("succeeded", mode, committed.orElse(-1L), 0, "-");
        }
      } else {
        planned = inputs.get("user_features").count();
      }
      boolean bulk = settings.bulkLoads(planned);
      BatchView.Begun begun = view.begin(options.runId(), JSON.writeValueAsString(position),
          JSON.writeValueAsString(coveredOffsets(runs)));
      long users;
      try {
        Failpoints.hit("publish.after-begin");
        log.printf("publish: %s version %d (%s, %d users, %s)%n", begun.resumed() ? "resuming" : "writing",
            begun.version(), mode, planned, bulk ? "HFiles bulk-loaded: at least spoor.batch.publish.bulk-load-min-users"
                : "BufferedMutators");
        users = bulk ? new HFileBulkLoad(spark, state, settings.staging(), log).write(connection, documents, begun.version())
            : write(documents, begun.version());
        Failpoints.hit("publish.after-write");
        view.commit(begun.version(), users);
        Failpoints.hit("publish.after-commit");
      } finally {
        view.release(options.runId());
      }
      documents.unpersist();
      if (scope != null) {
        scope.unpersist();
      }
      log.printf("publish: version %d committed; readers now see it%n", begun.version());
      runs.record(new BatchRuns.Run(options, "succeeded", mode, started, Instant.now(), versions,
          Map.of("hbase:" + state.namespace() + ":" + state.userTable(), begun.version()), users,
          scope == null ? -1 : users, new DiffMerge.Changes(0, users, 0), null));
      return new Outcome("succeeded", mode, begun.version(), users, bulk ? "bulk-load" : "mutator");
    } catch (IOException e) {
      runs.record(new BatchRuns.Run(options, "failed", "-", started, Instant.now(), versions, Map.of(), 0, -1,
          new DiffMerge.Changes(0, 0, 0), e.getMessage()));
      throw new UncheckedIOException("publish failed: " + e.getMessage(), e);
    }
  }

  /**
   * Per Kafka partition of the good topic, the last offset the view covers: the highest offset in
   * {@code events_clean} at the version the last successful {@code features} run read (the lander
   * lands each partition in order, so every earlier offset has been landed or de-duplicated). The
   * speed view counts only events after it.
   */
  private Map<String, Long> coveredOffsets(BatchRuns runs) {
    String path = lakeRoot + "/events_clean";
    Map<String, Long> offsets = new java.util.TreeMap<>();
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return offsets;
    }
    Long version = runs.lastSucceeded("features").map(r -> r.inputVersions().get("events_clean")).orElse(null);
    var reader = spark.read().format("delta");
    if (version != null) {
      reader = reader.option("versionAsOf", version);
    }
    for (Row r : reader.load(path).groupBy("kafka_partition").agg(org.apache.spark.sql.functions.max("kafka_offset"))
        .collectAsList()) {
      if (!r.isNullAt(0)) {
        offsets.put(Integer.toString(r.getInt(0)), r.getLong(1));
      }
    }
    return offsets;
  }

  /** The lake position (input → Delta version) the committed view covers, if one is committed. */
  private static Optional<Map<String, Long>> lastPosition(BatchView view) throws IOException {
    Optional<Long> committed = view.meta().committed();
    if (committed.isEmpty()) {
      return Optional.empty();
    }
    for (ViewMeta.Publish p : view.meta().publishes()) {
      if (p.version() == committed.get() && p.lakePosition() != null) {
        return Optional.of(JSON.readValue(p.lakePosition(), new TypeReference<Map<String, Long>>() {}));
      }
    }
    return Optional.empty();
  }

  /** How a lake position names an input table: its name and Delta table id. */
  private static String positionKey(String input, String tableId) {
    return input + "@" + tableId;
  }

  /**
   * Users changed in any input since the position, or null when that cannot be told (then: everyone):
   * {@code position} is where the inputs are now, keyed as the recorded one, {@code now} their versions.
   */
  private Dataset<Row> changedUsers(Map<String, Dataset<Row>> inputs, Map<String, Long> since,
      Map<String, Long> position, Map<String, Long> now) {
    Dataset<Row> users = null;
    for (String input : inputs.keySet()) {
      String key = position.keySet().stream().filter(k -> k.startsWith(input + "@")).findFirst().orElseThrow();
      Long from = since.get(key); // none for another table, or a position of an earlier Spoor: everyone
      if (from == null || from > now.get(input)) {
        return null;
      }
      if (from.equals(now.get(input))) {
        continue;
      }
      ChangedRows.Result changed = ChangedRows.scopeValues(spark, lakeRoot + "/" + input, from, now.get(input),
          col(UserKey.COLUMN));
      if (changed.values().isEmpty()) {
        log.println("publish: change feed of " + input + " unavailable (" + changed.unavailableBecause() + "); publishing everyone");
        return null;
      }
      users = users == null ? changed.values().get() : users.union(changed.values().get());
    }
    return users == null ? spark.emptyDataFrame().selectExpr("CAST(NULL AS STRING) AS _scope").limit(0)
        : users.distinct().persist();
  }

  /** One row per user of {@code user_features} in scope (everyone when null): {@code user_key}, {@code doc}. */
  static Dataset<Row> documents(Map<String, Dataset<Row>> inputs, Dataset<Row> scope) {
    Dataset<Row> features = restrict(inputs.get("user_features"), scope);
    Dataset<Row> scores = restrict(inputs.get("user_scores"), scope).select(UserKey.COLUMN, "score", "reason_codes");
    Dataset<Row> segments = restrict(inputs.get("user_segments"), scope).select(UserKey.COLUMN, "segments");
    Dataset<Row> funnels = restrict(inputs.get("funnel_progress"), scope).groupBy(UserKey.COLUMN)
        .agg(map_from_entries(collect_list(struct(col("funnel"), col("level")))).as("funnels"));
    Column[] featureColumns = Arrays.stream(features.columns())
        .filter(c -> !c.equals(UserKey.COLUMN) && !c.equals("funnel_levels"))
        .map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> present = features
        .join(scores, new String[] {UserKey.COLUMN}, "left")
        .join(segments, new String[] {UserKey.COLUMN}, "left")
        .join(funnels, new String[] {UserKey.COLUMN}, "left")
        .select(col(UserKey.COLUMN), to_json(struct(
            col("score"),
            coalesce(col("reason_codes"), array().cast("array<string>")).as("reason_codes"),
            coalesce(col("segments"), array().cast("array<string>")).as("segments"),
            struct(featureColumns).as("features"),
            coalesce(col("funnels"), org.apache.spark.sql.functions.expr("CAST(map() AS map<string,int>)")).as("funnels"))).as("doc"));
    return present;
  }

  /** The users of {@code scope} visible at {@code version} of the view, as column {@code _scope}. */
  private Dataset<Row> visibleAmong(Dataset<Row> scope, long version) {
    StateStoreConfig config = state;
    return scope.select("_scope").as(Encoders.STRING())
        .mapPartitions((MapPartitionsFunction<String, String>) users -> BatchView.visibleAmong(config, version, users)
            .iterator(), Encoders.STRING())
        .toDF("_scope");
  }

  /** Users visible at {@code version} of the view, one salt bucket per task, as column {@code _scope}. */
  private Dataset<Row> visibleUsers(long version) {
    StateStoreConfig config = state;
    List<Integer> buckets = java.util.stream.IntStream.range(0, state.saltBuckets()).boxed().toList();
    return spark.createDataset(buckets, Encoders.INT()).repartition(Math.min(buckets.size(), 16))
        .flatMap((FlatMapFunction<Integer, String>) bucket -> BatchView.visibleUsers(config, version, bucket).iterator(),
            Encoders.STRING())
        .toDF("_scope");
  }

  /** Tombstones for the visible users who are not in {@code user_features} any more. */
  static Dataset<Row> gone(Dataset<Row> features, Dataset<Row> visible) {
    return visible.join(features, visible.col("_scope").equalTo(features.col(UserKey.COLUMN)), "left_anti")
        .select(col("_scope").as(UserKey.COLUMN), lit(null).cast("string").as("doc"));
  }

  private static Dataset<Row> restrict(Dataset<Row> table, Dataset<Row> scope) {
    return scope == null ? table : table.join(scope, table.col(UserKey.COLUMN).equalTo(scope.col("_scope")), "left_semi");
  }

  /** Puts the documents through one {@code BufferedMutator} per partition; returns the cells written. */
  private long write(Dataset<Row> documents, long version) {
    StateStoreConfig config = state;
    LongAccumulator written = spark.sparkContext().longAccumulator("publish-written");
    documents.foreachPartition((ForeachPartitionFunction<Row>) rows -> {
      try (BatchView.Writer writer = new BatchView.Writer(config, version)) {
        while (rows.hasNext()) {
          Row row = rows.next();
          if (row.isNullAt(1)) {
            writer.remove(row.getString(0));
          } else {
            writer.put(row.getString(0), row.getString(1).getBytes(StandardCharsets.UTF_8));
          }
        }
        written.add(writer.written());
      }
    });
    log.printf("publish: %d cells written at version %d%n", written.value(), version);
    return written.value();
  }

}
