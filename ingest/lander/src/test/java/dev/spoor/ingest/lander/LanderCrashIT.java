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
 * The lander as a separate JVM ({@code bin/spoor land --continuous}), halted at its most dangerous
 * moment, between a Delta commit and the streaming checkpoint's commit (failpoint
 * {@code lander.after-delta-commit-before-offset-commit}), twice, while it lands 6 000 events in five
 * micro-batches, whose redelivered copies lie in other micro-batches; after the restarts and a final drain the table holds
 * every produced event exactly once, and {@code bad_events} every bad row once.
 */
@UsesLocalStack("kafka")
@ExtendWith(SparkExtension.class)
class LanderCrashIT {
  private static final int UNIQUE = 6_000;
  private static final String FAILPOINT = "lander.after-delta-commit-before-offset-commit";

  @Test
  void haltedBetweenDeltaCommitAndCheckpointItLosesNothingAndDuplicatesNothing(SparkSession spark) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path lake = TestStackConfig.home().resolve("target/spoor-it/lake-crash-" + run);
    String good = "it.crash.good." + run;
    String bad = "it.crash.bad." + run;
    Map<String, String> env = Map.of("SPOOR_TOPIC_GOOD", good, "SPOOR_TOPIC_BAD", bad,
        "SPOOR_LAKE_ROOT", lake.toString(), "SPOOR_LANDER_MAX_OFFSETS", "1500", "SPOOR_JOB_HEAP", "1g");
    String bootstrap = "127.0.0.1:" + TestStackConfig.environment().get("SPOOR_KAFKA_PORT");
    KafkaTopics.create(bootstrap, 2, good, bad);

    Random random = new Random(7);
    Instant now = Instant.now();
    Set<String> produced = new HashSet<>();
    List<Event> delivered = new ArrayList<>(UNIQUE + UNIQUE / 10);
    for (int i = 0; i < UNIQUE; i++) {
      Event event = TestEvents.event(UUID.randomUUID().toString(), "u-" + (i % 500),
          now.minusSeconds(random.nextInt(86_400 * 3)), now.plusMillis(i / 10), Integer.toHexString(i) + "f".repeat(24));
      produced.add(event.eventId());
      delivered.add(event);
    }
    for (int i = 0; i < UNIQUE; i += 10) {
      delivered.add(delivered.get(i)); // at-least-once redeliveries, in later micro-batches
    }
    KafkaTopics.produce(bootstrap, good, delivered.stream().map(Event::partitionKey).toList(), TestEvents.encode(delivered));
    List<byte[]> badRows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      badRows.add(dev.spoor.ingest.model.event.EventJson.encode(TestEvents.badRow("reason #" + i, now)));
    }
    KafkaTopics.produce(bootstrap, bad, java.util.Collections.nCopies(badRows.size(), null), badRows);

    Path log = Files.createTempFile("lander-crash", ".log");
    for (String armed : List.of(FAILPOINT + "@2", FAILPOINT)) {
      Map<String, String> crashing = new java.util.HashMap<>(env);
      crashing.put("SPOOR_FAILPOINT", armed);
      Process lander = SpoorCommand.start(crashing, log, "land", "--continuous");
      assertThat(lander.waitFor(4, TimeUnit.MINUTES)).as("halted at " + armed + ":\n" + Files.readString(log)).isTrue();
      assertThat(lander.exitValue()).as(Files.readString(log)).isEqualTo(137);
      assertThat(Files.readString(log)).contains("failpoint " + FAILPOINT + ": halting");
    }
    String table = lake.resolve("events").toString();
    assertThat(spark.read().format("delta").load(table).count()).as("landed before the drain").isBetween(1L, (long) UNIQUE - 1);

    SpoorCommand.Result drain = SpoorCommand.run(env, Duration.ofMinutes(10), "land");
    assertThat(drain.exitCode()).as(drain.output()).isZero();

    List<String> ids = spark.read().format("delta").load(table).select("event_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(ids).hasSize(UNIQUE);
    assertThat(new HashSet<>(ids)).isEqualTo(produced);
    assertThat(spark.read().format("delta").load(lake.resolve("bad_events").toString()).count()).isEqualTo(badRows.size());
  }
}
