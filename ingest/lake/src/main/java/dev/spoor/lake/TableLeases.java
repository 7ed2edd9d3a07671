package dev.spoor.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One Spoor writer per table where the lake's storage needs it. Delta commits atomically on HDFS and
 * local file systems (a rename that fails when the commit file exists), so concurrent writers are safe
 * there. On S3 its default log store is safe from one Spark driver at a time per table only: a second
 * driver committing the same version replaces the first's commit, silently. So on an {@code s3a://}
 * lake without a multi-writer log store ({@code spark.delta.logStore.s3a.impl}, e.g. Delta's
 * DynamoDB one), each Spoor writer (the lander, every batch job, erasure, maintenance) holds a lease
 * on the tables it writes: an object {@code _spoor_writers/TABLE.json} beside the table (not in its
 * directory, where Delta would not create a table over it) naming the writer, renewed every
 * {@link #RENEW} while held and removed when done; a lease not renewed for {@link #EXPIRY} (its
 * writer died) is free. A writer that finds another's live lease waits up to its patience, then
 * stops, naming the holder. Two writers that start within the same second can still both win (S3A
 * has no create-if-absent here): the leases stop the everyday overlap (an erasure or compaction
 * while the lander runs, two daily runs), not that race. Elsewhere a no-op.
 */
public final class TableLeases implements AutoCloseable {
  static final String DIRECTORY = "_spoor_writers";
  static final Duration RENEW = Duration.ofSeconds(20);
  static final Duration EXPIRY = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SINGLE_DRIVER_SCHEMES = Set.of("s3a", "s3", "s3n");

  private final Configuration hadoop;
  private final List<Path> held;
  private final byte[] lease;
  private final String id;
  private final ScheduledExecutorService renewer;

  private TableLeases(Configuration hadoop, List<Path> held, byte[] lease, String id, ScheduledExecutorService renewer) {
    this.hadoop = hadoop;
    this.held = held;
    this.lease = lease;
    this.id = id;
    this.renewer = renewer;
  }

  /** A table another writer holds: who, and what to do about it. */
  public static final class TableBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TableBusyException(String message) {
      super(message);
    }
  }

  /** Whether writers of {@code location} need leases under {@code spark}'s configuration. */
  public static boolean needed(SparkSession spark, String location) {
    String scheme = new Path(location).toUri().getScheme();
    if (scheme == null || !SINGLE_DRIVER_SCHEMES.contains(scheme)) {
      return false;
    }
    String logStore = spark.conf().getOption("spark.delta.logStore." + scheme + ".impl").getOrElse(() -> "");
    return logStore.isEmpty() || logStore.endsWith("S3SingleDriverLogStore");
  }

  /**
   * Takes the leases of {@code tables} (locations) for {@code writer}, waiting up to {@code patience}
   * for each held by another; renewed in the background until {@link #close}.
   *
   * @throws TableBusyException when a table is still held by another writer after {@code patience}
   */
  public static TableLeases acquire(SparkSession spark, List<String> tables, String writer, Duration patience) {
    Set<String> leased = new TreeSet<>(); // one order for every writer
    tables.stream().filter(table -> needed(spark, table)).forEach(leased::add);
    if (leased.isEmpty()) {
      return new TableLeases(null, List.of(), new byte[0], "", null);
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String id = UUID.randomUUID().toString();
    byte[] lease = lease(id, writer);
    List<Path> held = new ArrayList<>();
    ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "table-leases-" + writer);
      thread.setDaemon(true);
      return thread;
    });
    TableLeases leases = new TableLeases(hadoop, held, lease, id, renewer);
    try {
      for (String table : leased) {
        Path file = leaseOf(table);
        take(hadoop, file, lease, id, table, writer, patience);
        held.add(file);
      }
    } catch (RuntimeException e) {
      leases.close();
      throw e;
    }
    renewer.scheduleWithFixedDelay(leases::renew, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
    return leases;
  }

  /** Where the lease of {@code table} is: {@code …/lake/_spoor_writers/events.json} for {@code …/lake/events}. */
  static Path leaseOf(String table) {
    Path path = new Path(table);
    return new Path(new Path(path.getParent(), DIRECTORY), path.getName() + ".json");
  }

  private static void take(Configuration hadoop, Path file, byte[] lease, String id, String table, String writer,
      Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      JsonNode holder = holder(hadoop, file);
      if (holder == null || holder.path("id").asText().equals(id)) {
        write(hadoop, file, lease);
        holder = holder(hadoop, file); // a writer that wrote at the same moment: the last one wins
        if (holder != null && holder.path("id").asText().equals(id)) {
          return;
        }
      }
      if (holder != null && System.nanoTime() >= deadline) {
        throw new TableBusyException(writer + " cannot write " + table + ": " + holder.path("writer").asText()
            + " (host " + holder.path("host").asText() + ", pid " + holder.path("pid").asText() + ", since "
            + holder.path("since").asText() + ") is writing it. On S3, Delta's default log store allows one"
            + " Spark driver to write a table at a time: run this when that writer is done (stop a continuous"
            + " lander first), or configure a multi-writer log store (spark.delta.logStore.s3a.impl).");
      }
      try {
        Thread.sleep(POLL.toMillis()); // waiting for another writer's lease, with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TableBusyException(writer + " was interrupted while waiting for " + table);
      }
    }
  }

  /** The live lease of {@code file}, or null when there is none or it expired. */
  private static JsonNode holder(Configuration hadoop, Path file) {
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      FileStatus status = fs.getFileStatus(file);
      if (Instant.ofEpochMilli(status.getModificationTime()).plus(EXPIRY).isBefore(Instant.now())) {
        return null;
      }
      try (var in = fs.open(file)) {
        return JSON.readTree(in);
      }
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the writer lease " + file, e);
    }
  }

  private static void write(Configuration hadoop, Path file, byte[] lease) {
    try (FSDataOutputStream out = file.getFileSystem(hadoop).create(file, true)) {
      out.write(lease);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the writer lease " + file, e);
    }
  }

  private static byte[] lease(String id, String writer) {
    Map<String, Object> lease = new LinkedHashMap<>();
    lease.put("id", id);
    lease.put("writer", writer);
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown";
    }
    lease.put("host", host);
    lease.put("pid", ProcessHandle.current().pid());
    lease.put("jvm", ManagementFactory.getRuntimeMXBean().getName());
    lease.put("since", Instant.now().toString());
    try {
      return JSON.writeValueAsString(lease).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void renew() {
    for (Path file : held) {
      try {
        write(hadoop, file, lease);
      } catch (UncheckedIOException e) {
        // The next renewal tries again; a lease left unrenewed past EXPIRY is free for others.
      }
    }
  }

  /** The tables this writer holds (their lease files). */
  List<Path> held() {
    return List.copyOf(held);
  }

  /** Stops renewing and removes the leases still this writer's. */
  @Override
  public void close() {
    if (renewer == null) {
      return;
    }
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(10, TimeUnit.SECONDS); // no renewal after the removal below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Path file : held) {
      JsonNode holder = holder(hadoop, file);
      if (holder != null && holder.path("id").asText().equals(id)) {
        try {
          file.getFileSystem(hadoop).delete(file, false);
        } catch (IOException e) {
          // left to expire
        }
      }
    }
  }
}
