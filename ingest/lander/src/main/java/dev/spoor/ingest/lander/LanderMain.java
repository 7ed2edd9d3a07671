package dev.spoor.ingest.lander;

import dev.spoor.lake.SparkSessions;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.ingest.lander.lake.LakeMain;
import dev.spoor.lake.LakeSettings;
import java.nio.file.Path;
import java.util.List;
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
    boolean continuous = List.of(args).contains("--continuous");
    for (String arg : args) {
      if (!arg.equals("--continuous")) {
        System.err.println("spoor land: unknown argument '" + arg + "' (usage: bin/spoor land [--continuous])");
        System.exit(2);
      }
    }
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    LanderConfig config;
    try {
      config = LanderConfig.from(SpoorConfigLoader.load(home));
    } catch (InvalidConfigException e) {
      System.err.println("spoor land: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSessions.forJob("spoor-lander", config.master(), config.shufflePartitions());
    spark.streams().addListener(new ProgressPrinter());
    System.out.println("landing " + config.goodTopic() + " and " + config.badTopic() + " from "
        + config.bootstrapServers() + " into " + config.lakeRoot()
        + (continuous ? " every " + config.triggerInterval().toSeconds() + " s (Ctrl-C stops)" : " until caught up"));
    Trigger trigger = continuous
        ? Trigger.ProcessingTime(config.triggerInterval().toMillis(), TimeUnit.MILLISECONDS)
        : Trigger.AvailableNow();
    List<StreamingQuery> queries;
    try {
      queries = new java.util.ArrayList<>(LanderJob.start(spark, config, trigger));
    } catch (InvalidConfigException e) {
      System.err.println("spoor land: " + e.getMessage());
      spark.stop();
      System.exit(2);
      return;
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
    System.out.println("landed: caught up with Kafka");
    spark.stop();
    registerInTrino(home);
  }

  /** Makes the tables queryable in Trino; a Trino that is not running is not an error of landing. */
  private static void registerInTrino(Path home) {
    try {
      var config = SpoorConfigLoader.load(home);
      LanderConfig lander = LanderConfig.from(config);
      LakeMain.register(LakeSettings.from(config), lander);
    } catch (java.sql.SQLException e) {
      System.out.println("Trino is not reachable (" + e.getMessage().lines().findFirst().orElse("")
          + "); run 'bin/spoor lake register' once it is up");
    } catch (Exception e) {
      System.out.println("could not register the tables in Trino: " + e.getMessage());
    }
  }

  /** Prints one line per micro-batch: stream, batch id, rows, rate and how far behind Kafka it is. */
  static final class ProgressPrinter extends StreamingQueryListener {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {
      System.out.println("[" + event.name() + "] started (id " + event.id() + ")");
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      var progress = event.progress();
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
      System.out.printf(Locale.ROOT, "[%s] batch %d: %d rows in %.1f s, %.0f rows/s%s%n", progress.name(),
          progress.batchId(), progress.numInputRows(), progress.batchDuration() / 1000.0,
          progress.processedRowsPerSecond(), lag);
      if (Boolean.getBoolean("spoor.lander.verbose")) {
        System.out.println("  durations (ms): " + progress.durationMs());
      }
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
      if (event.exception().isDefined()) {
        System.err.println("[lander] stream " + event.id() + " failed: " + event.exception().get());
      }
    }
  }
}
