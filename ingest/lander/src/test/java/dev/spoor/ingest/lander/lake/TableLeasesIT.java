package dev.spoor.ingest.lander.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spoor.lake.TableLeases;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.service.S3Launcher;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per table on the test stack's object store (s3a://, Delta's single-driver log store),
 * none needed on a local lake: a second writer waits, then stops naming the first; once the first is
 * done the table is free at once; two writers never hold one table together.
 */
@UsesLocalStack("s3")
@ExtendWith(SparkExtension.class)
class TableLeasesIT {
  @TempDir
  Path dir;

  @BeforeAll
  static void objectStore(SparkSession spark) {
    StackConfig stack = TestStackConfig.stackConfig();
    S3Launcher.clientProperties(stack.s3()).forEach(spark.sparkContext().hadoopConfiguration()::set);
  }

  private static String s3Table() {
    return "s3a://" + TestStackConfig.stackConfig().s3().bucket() + "/it/leases-" + UUID.randomUUID() + "/events";
  }

  @Test
  void aSecondWriterOfATableOnS3WaitsThenStopsNamingTheFirstAndGetsItOnceItIsDone(SparkSession spark)
      throws Exception {
    String table = s3Table();
    assertThat(TableLeases.needed(spark, table)).isTrue();
    try (TableLeases lander = TableLeases.acquire(spark, List.of(table), "the lander", Duration.ZERO)) {
      // The holder creates the table under its lease (a lease in the table's own directory made Delta
      // refuse: "not a Delta table").
      io.delta.tables.DeltaTable.createIfNotExists(spark).location(table).addColumn("id", "BIGINT").execute();
      long started = System.nanoTime();
      assertThatThrownBy(() -> TableLeases.acquire(spark, List.of(table), "lake maintenance", Duration.ofSeconds(3)))
          .isInstanceOf(TableLeases.TableBusyException.class)
          .hasMessageContaining("lake maintenance cannot write " + table)
          .hasMessageContaining("the lander (host ")
          .hasMessageContaining("spark.delta.logStore.s3a.impl");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited its patience").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }
    org.apache.hadoop.fs.Path lease = new org.apache.hadoop.fs.Path(table.replaceAll("/events$", "/_spoor_writers/events.json"));
    FileSystem fs = lease.getFileSystem(spark.sparkContext().hadoopConfiguration());
    assertThat(fs.exists(lease)).as("removed when done").isFalse();
    try (TableLeases maintenance = TableLeases.acquire(spark, List.of(table), "lake maintenance", Duration.ZERO)) {
      assertThat(fs.exists(lease)).isTrue();
      spark.range(3).write().format("delta").mode("append").save(table);
    }
    assertThat(spark.read().format("delta").load(table).count()).isEqualTo(3);
  }

  @Test
  void aWriterWaitingForATableGetsItWhenTheHolderFinishesWithinItsPatience(SparkSession spark) throws Exception {
    String table = s3Table();
    TableLeases first = TableLeases.acquire(spark, List.of(table), "batch job sessionize", Duration.ZERO);
    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(2000); // the first writer's work, while the second waits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      first.close();
    });
    releaser.start();
    long started = System.nanoTime();
    try (TableLeases second = TableLeases.acquire(spark, List.of(table), "erasure", Duration.ofSeconds(60))) {
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
    releaser.join();
  }

  @Test
  void aLakeOnALocalFileSystemOrHdfsNeedsNoLease(SparkSession spark) {
    assertThat(TableLeases.needed(spark, dir.resolve("events").toString())).isFalse();
    assertThat(TableLeases.needed(spark, "hdfs://127.0.0.1:8020/spoor/lake/events")).isFalse();
    try (TableLeases none = TableLeases.acquire(spark, List.of(dir.resolve("events").toString()), "x", Duration.ZERO)) {
      assertThat(dir.resolve("_spoor_writers")).doesNotExist();
    }
  }
}
