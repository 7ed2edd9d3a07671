package dev.spoor.ingest.lander;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lander as a separate JVM ({@code bin/spoor land --continuous}), killed with SIGKILL three times
 * while it lands 200 000 events (plus redelivered duplicates); after restarts and a final drain the
 * table holds every produced event exactly once.
 */
@UsesLocalStack("kafka")
@ExtendWith(SparkExtension.class)
class LanderCrashIT {
  private static final int UNIQUE = 200_000;
  private static final int KILLS = 3;

  @Test
  void killedThreeTimesItLosesNothingAndDuplicatesNothing(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = TestStackConfig.home().resolve("target/spoor-it/lake-crash-" + run);
    String good = "it.crash.good." + run;
    String bad = "it.crash.bad." + run;
    Map<String, String> env = Map.of("SPOOR_TOPIC_GOOD", good, "SPOOR_TOPIC_BAD", bad,
        "SPOOR_LAKE_ROOT", lake.toString(), "SPOOR_LANDER_MAX_OFFSETS", "15000", "SPOOR_JOB_HEAP", "2g");
    String bootstrap = "127.0.0.1:" + TestStackConfig.environment().get("SPOOR_KAFKA_PORT");
    KafkaTopics.create(bootstrap, 4, good, bad);

    Random random = new Random(7);
    Instant now = Instant.now();
    Set<String> produced = new HashSet<>();
    List<Event> delivered = new ArrayList<>(UNIQUE + UNIQUE / 10);
    for (int i = 0; i < UNIQUE; i++) {
      Event event = TestEvents.event(UUID.randomUUID().toString(), "u-" + (i % 5000),
          now.minusSeconds(random.nextInt(86_400 * 3)), now.plusMillis(i / 10), Integer.toHexString(i) + "f".repeat(24));
      produced.add(event.eventId());
      delivered.add(event);
      if (i % 10 == 0) {
        delivered.add(event); // an at-least-once redelivery
      }
    }
    KafkaTopics.produce(bootstrap, good, delivered.stream().map(Event::partitionKey).toList(), TestEvents.encode(delivered));

    Path log = Files.createTempFile("lander-crash", ".log");
    String table = lake.resolve("events").toString();
    long landed = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      Process lander = SpoorCommand.start(env, log, "land", "--continuous");
      long before = landed;
      landed = awaitMoreThan(spark, table, before, Duration.ofMinutes(3), lander, log);
      lander.destroyForcibly(); // SIGKILL, mid-run
      assertThat(lander.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(landed).as("killed #" + kill + " while the table held " + landed + " of " + UNIQUE).isLessThan(UNIQUE);
    }

    SpoorCommand.Result drain = SpoorCommand.run(env, Duration.ofMinutes(10), "land");
    assertThat(drain.exitCode()).as(drain.output()).isZero();

    List<String> ids = spark.read().format("delta").load(table).select("event_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(ids).hasSize(UNIQUE);
    assertThat(new HashSet<>(ids)).isEqualTo(produced);
  }

  /** Waits until the table holds more rows than {@code than}; fails if the lander exits or time runs out. */
  private static long awaitMoreThan(SparkSession spark, String table, long than, Duration timeout, Process lander,
      Path log) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!lander.isAlive()) {
        throw new AssertionError("the lander exited with " + lander.exitValue() + ":\n" + Files.readString(log));
      }
      if (Files.isDirectory(Path.of(table, "_delta_log"))) {
        long count = spark.read().format("delta").load(table).count();
        if (count > than) {
          return count;
        }
      }
      lander.waitFor(2, TimeUnit.SECONDS); // returns early if the lander exits
    }
    throw new AssertionError("the table did not grow past " + than + " rows within " + timeout + ":\n"
        + Files.readString(log));
  }
}
