package dev.spoor.speed;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.lake.SparkSessions;
import dev.spoor.speed.config.SpeedConfig;
import dev.spoor.speed.decide.StateLookup;
import dev.spoor.kafka.SpoorTopics;
import dev.spoor.kafka.TopicProvisioner;
import dev.spoor.kafka.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * {@code bin/spoor speed}: runs the speed layer until stopped (Ctrl-C). Also a {@code spark-submit}
 * main ({@code --class dev.spoor.speed.SpeedMain}).
 */
public final class SpeedMain {
  private SpeedMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    SpeedConfig config;
    com.typesafe.config.Config root;
    try {
      root = SpoorConfigLoader.load(home);
      config = SpeedConfig.from(root, home);
    } catch (InvalidConfigException e) {
      System.err.println("spoor speed: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Every topic the speed layer reads or writes exists before the first micro-batch.
    List<TopicSpec> topics = new ArrayList<>(SpoorTopics.all(root));
    config.outputTopics().stream().filter(t -> topics.stream().noneMatch(spec -> spec.name().equals(t)))
        .forEach(t -> topics.add(SpoorTopics.defaults(root, t)));
    new TopicProvisioner(config.kafka(), Duration.ofSeconds(60)).ensure(topics);
    SparkSession spark = SparkSessions.withoutLake("spoor-speed", config.master());
    spark.streams().addListener(new SpeedProgress(System.out::println));
    StreamingQuery query;
    try {
      query = SpeedJob.start(spark, config);
    } catch (InvalidConfigException e) {
      System.err.println("spoor speed: " + e.getMessage());
      System.exit(2);
      return;
    }
    MetricsEndpoint metrics;
    try {
      metrics = config.metricsPort() < 0 ? null : MetricsEndpoint.start(config.metricsHost(), config.metricsPort());
    } catch (java.io.IOException e) {
      System.err.println("spoor speed: cannot serve metrics on " + config.metricsHost() + ":" + config.metricsPort() + " (" + e.getMessage()
          + "); set spoor.speed.metrics-port (SPOOR_SPEED_METRICS_PORT) to a free port, 0 for any, -1 for none");
      query.stop();
      System.exit(2);
      return;
    }
    System.out.printf("speed layer reading %s, %d rules; notifications to %s%s%n", config.goodTopic(), config.rules().size(),
        config.notificationsTopic(), metrics == null ? "" : "; metrics at " + metrics.address());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        query.stop();
      } catch (Exception ignored) {
        // stopping anyway
      }
      StateLookup.closeConnections();
      if (metrics != null) {
        metrics.close();
      }
    }));
    query.awaitTermination();
  }
}
