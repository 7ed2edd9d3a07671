package dev.spoor.batch.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.RowKeys;
import dev.spoor.state.table.StateTables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.KeyValue;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.io.encoding.DataBlockEncoding;
import org.apache.hadoop.hbase.io.hfile.CacheConfig;
import org.apache.hadoop.hbase.io.hfile.HFileContextBuilder;
import org.apache.hadoop.hbase.regionserver.BloomType;
import org.apache.hadoop.hbase.regionserver.HStoreFile;
import org.apache.hadoop.hbase.regionserver.StoreFileWriter;
import org.apache.hadoop.hbase.tool.BulkLoadHFiles;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A large publish: the documents of one version written from Spark as HFiles, one per salt bucket
 * (region) of each partition, sorted by row key, then handed to HBase in one bulk load. HBase moves the
 * files into its regions instead of taking every cell through its write path (WAL, memstore, flushes).
 * The cells are the ones {@code BatchView.Writer} would put (the version as timestamp, an empty
 * document for a tombstone), so the commit, readers, rollback and purge treat them alike.
 *
 * <p>File names are fixed by (partition, bucket) and a file is renamed into place only when complete,
 * so a retried task replaces its own files and a killed run's leftovers are deleted before it runs
 * again.
 */
final class HFileBulkLoad {
  private final SparkSession spark;
  private final StateStoreConfig state;
  private final String staging;
  private final PrintStream log;

  HFileBulkLoad(SparkSession spark, StateStoreConfig state, String staging, PrintStream log) {
    this.spark = spark;
    this.state = state;
    this.staging = staging;
    this.log = log;
  }

  /** The user table's batch family as HBase stores it: what the written files must match. */
  record FamilyFormat(String compression, String encoding, String bloom, int blockSize) implements Serializable {
    static FamilyFormat of(ColumnFamilyDescriptor family) {
      return new FamilyFormat(family.getCompressionType().name(), family.getDataBlockEncoding().name(),
          family.getBloomFilterType().name(), family.getBlocksize());
    }
  }

  /** Writes {@code documents} ({@code user_key}, {@code doc}) as cells of {@code version}; returns cells written. */
  long write(Connection connection, Dataset<Row> documents, long version) throws IOException {
    StateTables tables = new StateTables(state);
    FamilyFormat format;
    try (Admin admin = connection.getAdmin()) {
      format = FamilyFormat.of(admin.getDescriptor(tables.users()).getColumnFamily(StateTables.BATCH));
    }
    // <staging>/<table>/v<version>/b/ holds the finished files (the layout a bulk load reads), and
    // v<version>.tmp the files being written.
    String dir = staging + "/" + state.namespace() + "." + state.userTable() + "/v" + version;
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    SerializableConfiguration conf = new SerializableConfiguration(hadoop);
    Path root = new Path(dir);
    Path tmp = new Path(dir + ".tmp");
    FileSystem fs = root.getFileSystem(hadoop);
    fs.delete(root, true); // what a killed attempt of this version left
    fs.delete(tmp, true);
    int buckets = state.saltBuckets();
    RowKeys keys = new RowKeys(buckets);
    UserDefinedFunction bucket = udf((UDF1<String, Integer>) keys::bucket, DataTypes.IntegerType);
    LongAccumulator written = spark.sparkContext().longAccumulator("publish-hfile-cells");
    // Sorted by (bucket, user key) is sorted by row key: the salt byte, then the key's UTF-8 bytes,
    // both compared unsigned, as Spark orders strings.
    documents.withColumn("_bucket", bucket.apply(col("user_key")))
        .repartition(buckets, col("_bucket"))
        .sortWithinPartitions("_bucket", "user_key")
        .foreachPartition((ForeachPartitionFunction<Row>) rows ->
            written.add(writePartition(rows, conf.value(), keys, format, dir, version)));
    if (written.value() > 0) {
      BulkLoadHFiles.create(state.hbase()).bulkLoad(tables.users(), root);
    }
    fs.delete(root, true);
    fs.delete(tmp, true);
    log.printf("publish: %d cells bulk-loaded from HFiles at version %d%n", written.value(), version);
    return written.value();
  }

  private static long writePartition(java.util.Iterator<Row> rows, Configuration conf, RowKeys keys, FamilyFormat format,
      String dir, long version) throws IOException {
    Path family = new Path(dir, Bytes.toString(StateTables.BATCH));
    FileSystem fs = family.getFileSystem(conf);
    int partition = TaskContext.getPartitionId();
    long cells = 0;
    int current = -1;
    StoreFileWriter writer = null;
    Path pending = null;
    try {
      while (rows.hasNext()) {
        Row row = rows.next();
        int bucket = row.getInt(2);
        if (bucket != current) {
          finish(writer, fs, pending, family);
          current = bucket;
          pending = new Path(dir + ".tmp", "p" + partition + "-b" + bucket + "-a" + TaskContext.get().attemptNumber());
          writer = open(conf, fs, pending, format);
        }
        byte[] doc = row.isNullAt(1) ? new byte[0] : row.getString(1).getBytes(StandardCharsets.UTF_8);
        writer.append(new KeyValue(keys.rowKey(row.getString(0)), StateTables.BATCH, StateTables.DOC, version, doc));
        cells++;
      }
      finish(writer, fs, pending, family);
      writer = null;
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
    return cells;
  }

  private static StoreFileWriter open(Configuration conf, FileSystem fs, Path path, FamilyFormat format)
      throws IOException {
    return new StoreFileWriter.Builder(conf, CacheConfig.DISABLED, fs)
        .withFilePath(path)
        .withBloomType(BloomType.valueOf(format.bloom()))
        .withFileContext(new HFileContextBuilder()
            .withCompression(Compression.Algorithm.valueOf(format.compression()))
            .withDataBlockEncoding(DataBlockEncoding.valueOf(format.encoding()))
            .withBlockSize(format.blockSize())
            .withIncludesTags(false)
            .build())
        .build();
  }

  /** Closes a complete file with the metadata a bulk-loaded file carries and moves it into the family directory. */
  private static void finish(StoreFileWriter writer, FileSystem fs, Path pending, Path family) throws IOException {
    if (writer == null) {
      return;
    }
    writer.appendFileInfo(HStoreFile.BULKLOAD_TIME_KEY, Bytes.toBytes(System.currentTimeMillis()));
    writer.appendFileInfo(HStoreFile.MAJOR_COMPACTION_KEY, Bytes.toBytes(false));
    writer.appendTrackedTimestampsToMetadata();
    writer.close();
    // p<partition>-b<bucket>: a retried task's file replaces its failed attempt's.
    String name = pending.getName();
    Path done = new Path(family, name.substring(0, name.lastIndexOf("-a")));
    fs.mkdirs(family);
    fs.delete(done, false);
    if (!fs.rename(pending, done)) {
      throw new UncheckedIOException(new IOException("could not move " + pending + " to " + done));
    }
  }
}
