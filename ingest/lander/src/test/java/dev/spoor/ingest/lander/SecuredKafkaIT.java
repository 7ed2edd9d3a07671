package dev.spoor.ingest.lander;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.config.Settings;
import dev.spoor.ingest.lander.config.LanderConfig;
import dev.spoor.kafka.KafkaConnection;
import dev.spoor.kafka.TopicProvisioner;
import dev.spoor.kafka.TopicSpec;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.testing.TestCollector;
import dev.spoor.stack.testing.TestStackConfig;
import dev.spoor.stack.testing.UsesLocalStack;
import dev.spoor.testing.spark.SparkExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spoor's clients on a secured Kafka: the test stack's broker's SASL_SSL listener (TLS with its
 * self-signed certificate, SCRAM-SHA-512 logins), reached by configuration only, as a user would
 * configure a secured cluster. The collector (its own process) creates its topics and publishes over
 * it, the lander (Spark's Kafka source) reads over it; every event sent lands once. A wrong password
 * and a client without TLS are refused, and the collector's log never holds the password.
 */
@UsesLocalStack("kafka")
@ExtendWith(SparkExtension.class)
class SecuredKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static Map<String, String> pageView(String user, int i) {
    Map<String, String> params = new LinkedHashMap<>();
    long now = System.currentTimeMillis();
    params.put("e", "pv");
    params.put("eid", UUID.randomUUID().toString());
    params.put("aid", "shop");
    params.put("p", "web");
    params.put("tv", "js-3.24.0");
    params.put("uid", user);
    params.put("duid", "device-" + user);
    params.put("url", "https://shop.example/p/" + i);
    params.put("dtm", Long.toString(now));
    params.put("stm", Long.toString(now));
    return params;
  }

  /** The local broker's self-signed certificate, which a client of its secured listener trusts. */
  private static String brokerCertificate(StackConfig stack) {
    return stack.serviceDir("kafka").resolve("secure/broker-cert.pem").toString();
  }

  @Test
  void theCollectorAndTheLanderReachASaslSslBrokerByConfigurationAlone(SparkSession spark) throws Exception {
    StackConfig stack = TestStackConfig.stackConfig();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("SPOOR_KAFKA_BOOTSTRAP", stack.kafka().secureBootstrapServers());
    env.put("SPOOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("SPOOR_KAFKA_TRUST_CERTIFICATE", brokerCertificate(stack));
    env.put("SPOOR_TOPIC_GOOD", "it.secured.good." + run);
    env.put("SPOOR_TOPIC_BAD", "it.secured.bad." + run);
    env.put("SPOOR_LAKE_ROOT", dir.resolve("lake").toString());
    env.put("SPOOR_CHECKPOINT_DIR", dir.resolve("checkpoints").toString());
    LanderConfig config = LanderConfig.from(TestStackConfig.config(env));
    assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsKey("ssl.truststore.location");

    List<String> sent = new ArrayList<>();
    Path log = dir.resolve("collector.log");
    try (TestCollector collector = TestCollector.start(env, log)) { // healthy: its admin client logged in
      HttpClient http = HttpClient.newHttpClient();
      for (int request = 0; request < 5; request++) {
        List<Map<String, String>> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          Map<String, String> event = pageView("u-" + (i % 7), request * 20 + i);
          sent.add(event.get("eid"));
          events.add(event);
        }
        String body = JSON.writeValueAsString(Map.of(
            "schema", "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data", events));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(collector.base().resolve("/com.snowplowanalytics.snowplow/tp2"))
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      }
    }

    for (StreamingQuery query : LanderJob.start(spark, config, Trigger.AvailableNow())) {
      query.awaitTermination();
      assertThat(query.exception().isEmpty()).as(query.name() + ": " + query.exception()).isTrue();
    }
    List<String> landed = spark.read().format("delta").load(config.table("events")).select("event_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    assertThat(landed).containsExactlyInAnyOrderElementsOf(sent);

    String password = config.kafka().security().sasl().orElseThrow().password().read();
    assertThat(Files.readString(log)).as("the collector's log").contains("SASL_SSL").doesNotContain(password);
  }

  @Test
  void aWrongPasswordAndAClientWithoutTlsAreRefused() {
    StackConfig stack = TestStackConfig.stackConfig();
    Map<String, String> wrong = Map.of("SPOOR_KAFKA_BOOTSTRAP", stack.kafka().secureBootstrapServers(),
        "SPOOR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "SPOOR_KAFKA_PASSWORD", "not-the-password",
        "SPOOR_KAFKA_TRUST_CERTIFICATE", brokerCertificate(stack));
    KafkaConnection wrongPassword = KafkaConnection.from(Settings.of(TestStackConfig.config(wrong), "spoor.kafka"),
        TestStackConfig.home());
    TopicSpec topic = new TopicSpec("it.secured.refused", 1, (short) 1, Duration.ofHours(1));
    assertThatThrownBy(() -> new TopicProvisioner(wrongPassword, Duration.ofSeconds(20)).ensure(List.of(topic)))
        .hasMessageContaining("Authentication failed");
    KafkaConnection noTls = KafkaConnection.plaintext(stack.kafka().secureBootstrapServers());
    assertThatThrownBy(() -> new TopicProvisioner(noTls, Duration.ofSeconds(5)).ensure(List.of(topic)))
        .isInstanceOf(TopicProvisioner.KafkaTopicException.class);
  }
}
