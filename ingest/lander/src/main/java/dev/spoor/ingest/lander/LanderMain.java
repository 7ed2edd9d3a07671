package dev.spoor.ingest.lander;

import dev.spoor.lake.SparkSessions;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.lander.lake.LakeMain;
import dev.spoor.lake.LakeSettings;
import dev.spoor.lake.TableLeases;
import dev.spoor.report.JobReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;

/**
 * {@code bin/spoor land [--continuous]}, also a {@code spark-submit} main. By default it drains what
 * Kafka holds ({@code Trigger.AvailableNow}) and stops: what the scheduler runs hourly. With
 * {@code --continuous} it keeps landing every {@code trigger-interval}. Progress (batches, rows, rate,
 * Kafka lag) is printed as it goes.
 */
public final class LanderMain {
  private LanderMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    int status = run(home, args, null, System.out, System.err, JobReport.fromEnvironment());
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Lands and returns the exit status (0, or 2 for a usage or configuration error). In a session of
   * its own (stopped at the end) when {@code shared} is null; in {@code shared}, left running, when the
   * pipeline runner runs a whole pipeline in one application.
   */
  private static final Duration LEASE_PATIENCE = Duration.ofMinutes(2);

  public static int run(Path home, String[] args, SparkSession shared, PrintStream out, PrintStream err,
      JobReport report) throws Exception {
    boolean continuous = List.of(args).contains("--continuous");
    for (String arg : args) {
      if (!arg.equals("--continuous")) {
        err.println("spoor land: unknown argument '" + arg + "' (usage: bin/spoor land [--continuous])");
        return 2;
      }
    }
    LanderConfig config;
    try {
      config = LanderConfig.from(SpoorConfigLoader.load(home));
    } catch (InvalidConfigException e) {
      err.println("spoor land: " + e.getMessage());
      return 2;
    }
    SparkSession spark = shared != null ? shared
        : SparkSessions.forJob("spoor-lander", config.master(), config.shufflePartitions());
    spark.conf().set("spark.sql.shuffle.partitions", config.shufflePartitions());
    ProgressPrinter progress = new ProgressPrinter(out, err);
    spark.streams().addListener(progress);
    // The landing sets session options its streams clone (LanderJob): a shared session gets its own back.
    Map<String, String> before = Map.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll()));
    // One lander per lake, and no other writer of its tables meanwhile where the storage needs it (S3);
    // a lander killed a moment ago holds its leases until they expire: waited out.
    try (TableLeases leases = TableLeases.acquire(spark, config.writtenTables(), "the lander", LEASE_PATIENCE)) {
      out.println("landing " + config.goodTopic() + " and " + config.badTopic() + " from "
          + config.bootstrapServers() + " into " + config.lakeRoot()
          + (continuous ? " every " + config.triggerInterval().toSeconds() + " s (Ctrl-C stops)" : " until caught up"));
      Trigger trigger = continuous
          ? Trigger.ProcessingTime(config.triggerInterval().toMillis(), TimeUnit.MILLISECONDS)
          : Trigger.AvailableNow();
      List<StreamingQuery> queries;
      try {
        queries = new java.util.ArrayList<>(LanderJob.start(spark, config, trigger));
      } catch (InvalidConfigException e) {
        err.println("spoor land: " + e.getMessage());
        return 2;
      }
      if (continuous) {
        LanderJob.startViews(spark, config, trigger).ifPresent(queries::add);
      }
      for (StreamingQuery query : queries) {
        query.awaitTermination();
      }
      if (!continuous) {
        // The views follow the events table: brought up to date once the landing has caught up.
        var views = LanderJob.startViews(spark, config, trigger);
        if (views.isPresent()) {
          views.get().awaitTermination();
        }
      }
      out.println("landed: caught up with Kafka");
      java.util.Set<java.util.UUID> landing = new java.util.HashSet<>();
      queries.forEach(query -> landing.add(query.id()));
      report.record("land", "succeeded", progress.rowsOf(landing), "caught up with Kafka");
    } catch (TableLeases.TableBusyException e) {
      err.println("spoor land: " + e.getMessage());
      return 1;
    } finally {
      spark.streams().removeListener(progress);
      if (shared == null) {
        spark.stop();
      } else {
        restore(spark, before);
      }
    }
    registerInTrino(home, out);
    return 0;
  }

  /** Sets the session's runtime options back to {@code before}. */
  private static void restore(SparkSession spark, Map<String, String> before) {
    scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll()).forEach((key, value) -> {
      if (!before.containsKey(key)) {
        spark.conf().unset(key);
      } else if (!before.get(key).equals(value)) {
        spark.conf().set(key, before.get(key));
      }
    });
  }

  /** Makes the tables queryable in Trino; a Trino that is not running is not an error of landing. */
  private static void registerInTrino(Path home, PrintStream out) {
    try {
      var config = SpoorConfigLoader.load(home);
      LanderConfig lander = LanderConfig.from(config);
      LakeMain.register(LakeSettings.from(config), lander);
    } catch (java.sql.SQLException e) {
      out.println("not registered in Trino (" + e.getMessage().lines().findFirst().orElse("")
          + "); run 'bin/spoor lake register' once it can be");
    } catch (Exception e) {
      out.println("could not register the tables in Trino: " + e.getMessage());
    }
  }

  /** Prints one line per micro-batch: stream, batch id, rows, rate and how far behind Kafka it is. */
  static final class ProgressPrinter extends StreamingQueryListener {
    private final PrintStream out;
    private final PrintStream err;
    private final java.util.Map<java.util.UUID, java.util.concurrent.atomic.LongAdder> rows =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.Set<java.util.UUID> terminated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ProgressPrinter(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    /**
     * Rows read by the queries with these ids. Listener events arrive asynchronously, in order: once a
     * query's termination event is here, so are all its progress events (waits up to 10 s for them).
     */
    long rowsOf(java.util.Set<java.util.UUID> ids) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      synchronized (terminated) {
        while (!terminated.containsAll(ids) && System.nanoTime() < deadline) {
          try {
            terminated.wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      return ids.stream().mapToLong(id -> rows.getOrDefault(id, new java.util.concurrent.atomic.LongAdder()).sum())
          .sum();
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
      out.println("[" + event.name() + "] started (id " + event.id() + ")");
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      var progress = event.progress();
      rows.computeIfAbsent(progress.id(), id -> new java.util.concurrent.atomic.LongAdder()).add(progress.numInputRows());
      if (progress.numInputRows() == 0) {
        return;
      }
      String lag = "";
      for (SourceProgress source : progress.sources()) {
        String behind = source.metrics().get("maxOffsetsBehindLatest");
        if (behind != null) {
          lag = ", max offsets behind " + behind;
        }
      }
      out.printf(Locale.ROOT, "[%s] batch %d: %d rows in %.1f s, %.0f rows/s%s%n", progress.name(),
          progress.batchId(), progress.numInputRows(), progress.batchDuration() / 1000.0,
          progress.processedRowsPerSecond(), lag);
      if (Boolean.getBoolean("spoor.lander.verbose")) {
        out.println("  durations (ms): " + progress.durationMs());
      }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
      synchronized (terminated) {
        terminated.add(event.id());
        terminated.notifyAll();
      }
      if (event.exception().isDefined()) {
        err.println("[lander] stream " + event.id() + " failed: " + event.exception().get());
      }
    }
  }
}
