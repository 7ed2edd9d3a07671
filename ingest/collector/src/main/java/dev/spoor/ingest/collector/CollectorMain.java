package dev.spoor.ingest.collector;

import dev.spoor.config.InvalidConfigException;
import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.collector.sink.KafkaEventSink;
import dev.spoor.ingest.model.enrich.YauaaUserAgentParser;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import dev.spoor.ingest.model.schema.iglu.IgluSettings;
import dev.spoor.kafka.SpoorTopics;
import dev.spoor.kafka.TopicProvisioner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/spoor collector} (and {@code bin/spoor up collector}): loads and validates the
 * configuration, compiles the schemas, builds the user agent analyzer, connects to Kafka and serves
 * until SIGTERM, when it stops accepting and flushes what Kafka has not yet acknowledged.
 */
public final class CollectorMain {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);

  private CollectorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path home = Path.of(System.getProperty("spoor.home", System.getenv().getOrDefault("SPOOR_HOME", ".")));
    CollectorConfig config;
    SchemaRegistry schemas;
    com.typesafe.config.Config root;
    try {
      root = SpoorConfigLoader.load(home);
      config = CollectorConfig.from(root);
      schemas = SchemaRegistry.load(config.enrichment().schemasDir(),
          config.enrichment().iglu().map(IgluSettings::resolver));
    } catch (InvalidConfigException e) {
      System.err.println("spoor collector: " + e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("{} schemas loaded from {}{}", schemas.keys().size(), config.enrichment().schemasDir(),
        config.enrichment().iglu().map(iglu -> "; others from the Iglu repositories of " + iglu.resolverFile()).orElse(""));
    try {
      List<String> created = new TopicProvisioner(config.kafka(), config.sendTimeout())
          .ensure(SpoorTopics.ingest(root));
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
    } catch (TopicProvisioner.KafkaTopicException e) {
      // The collector still starts: /health reports Kafka, and the producer retries until it is back.
      LOG.warn("could not check the topics: {}", e.getMessage());
    }
    KafkaEventSink sink = new KafkaEventSink(config.kafka(), config.goodTopic(), config.badTopic(),
        config.sendTimeout());
    CollectorServer server = new CollectorServer(config, schemas,
        new YauaaUserAgentParser(config.enrichment().userAgentCache()), sink).start();
    LOG.info("collector listening on http://{}:{} ({})", config.host(), server.address().getPort(),
        config.kafka());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("collector stopping");
      server.close();
      stopped.countDown();
    }, "collector-shutdown"));
    stopped.await();
  }
}
