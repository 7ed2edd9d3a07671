package dev.spoor.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics that do not exist yet (idempotent: an existing topic, or one created by a
 * concurrent caller, is left as it is), then waits until the brokers describe every one, so the
 * caller can read or write them at once. Called by {@code bin/spoor up kafka}, the collector and the lander
 * at start-up, and the speed layer for its outbound topics.
 */
public final class TopicProvisioner {
  private static final Duration METADATA_PAUSE = Duration.ofMillis(200);

  private final KafkaConnection kafka;
  private final String bootstrapServers;
  private final Duration timeout;

  public TopicProvisioner(KafkaConnection kafka, Duration timeout) {
    this.kafka = kafka;
    this.bootstrapServers = kafka.bootstrapServers();
    this.timeout = timeout;
  }

  private Properties adminProperties() {
    return kafka.properties(Map.of(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000)));
  }

  /** How many partitions an existing topic has. */
  public int partitions(String topic) {
    return endOffsets(topic).size();
  }

  /** Per partition of an existing topic, the offset the next record will get. */
  public Map<Integer, Long> endOffsets(String topic) {
    try (Admin admin = Admin.create(adminProperties())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int partitions = untilKnown(() -> admin.describeTopics(List.of(topic)).allTopicNames(), deadline)
          .get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new TreeMap<>();
      admin.listOffsets(latest).all().get(remaining(deadline), TimeUnit.NANOSECONDS)
          .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
      return ends;
    } catch (ExecutionException e) {
      throw new KafkaTopicException("cannot describe topic " + topic + " on " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaTopicException("Kafka at " + bootstrapServers + " did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaTopicException("interrupted while describing " + topic, e);
    }
  }

  /** The names of the topics this call created (empty when all existed). */
  public List<String> ensure(Collection<TopicSpec> topics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(adminProperties())) {
      Set<String> existing = admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec topic : topics) {
        if (!existing.contains(topic.name())) {
          missing.add(new NewTopic(topic.name(), topic.partitions(), topic.replication())
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()))));
        }
      }
      List<String> created = new ArrayList<>();
      for (var result : admin.createTopics(missing).values().entrySet()) {
        try {
          result.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
          created.add(result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaTopicException("cannot create topic " + result.getKey() + " on " + bootstrapServers + ": "
                + e.getCause().getMessage(), e.getCause());
          }
        }
      }
      List<String> names = topics.stream().map(TopicSpec::name).toList();
      untilKnown(() -> admin.describeTopics(names).allTopicNames(), deadline);
      return created;
    } catch (ExecutionException e) {
      throw new KafkaTopicException("cannot list or describe topics on " + bootstrapServers + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaTopicException("Kafka at " + bootstrapServers + " did not answer within " + timeout
          + " while creating topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaTopicException("interrupted while creating topics on " + bootstrapServers, e);
    }
  }

  /**
   * The answer of an Admin call that names topics, asked again while a broker has not caught up with
   * the cluster's metadata: in KRaft a topic is created once the controller commits it, and each
   * broker learns of it a moment later, so a broker may still answer "unknown topic" (or, with a
   * leader moving, "not available") just after. Those answers are {@link RetriableException}s; they
   * are retried until {@code deadline} (a {@link System#nanoTime()}), any other error is not.
   */
  static <T> T untilKnown(Supplier<KafkaFuture<T>> call, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    while (true) {
      try {
        return call.get().get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || remaining(deadline) <= METADATA_PAUSE.toNanos()) {
          throw e;
        }
        Thread.sleep(METADATA_PAUSE.toMillis()); // a pause before asking again, not a synchronisation
      }
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  /** Kafka could not be reached or refused to create a topic. */
  public static final class KafkaTopicException extends RuntimeException {
    public KafkaTopicException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
