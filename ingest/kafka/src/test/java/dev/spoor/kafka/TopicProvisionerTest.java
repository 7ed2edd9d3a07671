package dev.spoor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/**
 * How the provisioner waits for a multi-broker cluster's metadata: the broker an Admin call reaches
 * may not know a topic the controller has just created (ScaleOutIT's three-broker stack failed to
 * start on "This server does not host this topic-partition").
 */
class TopicProvisionerTest {
  private static KafkaFuture<String> failed(RuntimeException error) {
    KafkaFutureImpl<String> future = new KafkaFutureImpl<>();
    future.completeExceptionally(error);
    return future;
  }

  private static long in(Duration duration) {
    return System.nanoTime() + duration.toNanos();
  }

  @Test
  void aBrokerThatHasNotYetLearnedOfTheTopicIsAskedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    String answer = TopicProvisioner.untilKnown(() -> calls.incrementAndGet() <= 2
        ? failed(new UnknownTopicOrPartitionException("This server does not host this topic-partition."))
        : KafkaFuture.completedFuture("described"), in(Duration.ofSeconds(10)));

    assertThat(answer).isEqualTo("described");
    assertThat(calls).hasValue(3);
  }

  @Test
  void anErrorThatWillNotPassIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> TopicProvisioner.untilKnown(() -> {
      calls.incrementAndGet();
      return failed(new TopicAuthorizationException("not authorised"));
    }, in(Duration.ofSeconds(10))))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void aTopicThatNeverAppearsEndsAtTheDeadline() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> TopicProvisioner.untilKnown(
        () -> failed(new UnknownTopicOrPartitionException("unknown")), in(Duration.ofSeconds(1))))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
