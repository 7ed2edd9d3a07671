package dev.spoor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.LocalStack;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.service.ServiceLauncher;
import dev.spoor.stack.testing.SpoorCommand;
import dev.spoor.stack.testing.TestStackConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.RegionLocator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/spoor demo} on a cluster-shaped stack of its own, configured by
 * {@code conf/cluster.conf.example} with this machine's hosts, ports and files put in (nothing else):
 * Kafka as three KRaft brokers reached over SASL_SSL (topics on all three, {@code min.insync.replicas}
 * 2), HBase distributed on HDFS (ZooKeeper, a master, two region servers), the lake on HDFS, and every
 * batch job submitted to a Spark standalone cluster of two workers. While the shop's traffic is being
 * sent, a broker is killed (SIGKILL); as the daily pipeline's publish starts, so is the region server
 * that carries {@code hbase:meta}. Each pipeline runs as one application of the cluster, its executors
 * given Spoor's application jar ({@code dist/}). Neither comes back. The collector acknowledges every request all the
 * same (the demo stops at any other answer), landing, publish, the speed layer and verify's reads go on
 * over what is left, and verify passes: every acknowledged event is in the lake once, every output
 * equals the truth. Runs with {@code -Pscale-out} (as {@code .ci/run} does).
 */
class ScaleOutIT {
  /**
   * This test's stack: the test stack's ports less 5 000, so both can run side by side, and all below
   * Linux's ephemeral range (from 32768), where a client's connection could take one.
   */
  private static final int PORT_SHIFT = -5_000;
  private static final Path HOME = TestStackConfig.home();
  private static final Path WORK = HOME.resolve("target/scale-out");
  private static final Path VAR = WORK.resolve("var");

  private static Map<String, String> env;
  private static LocalStack stack;

  /** The environment of every command: the cluster file, the shape of the stack, its ports. */
  private static Map<String, String> environment() {
    Map<String, String> e = new TreeMap<>();
    TestStackConfig.environment().forEach((name, value) -> {
      if (name.endsWith("_PORT")) {
        e.put(name, Integer.toString(Integer.parseInt(value) + PORT_SHIFT));
      }
    });
    e.put("SPOOR_SPEED_METRICS_PORT", "23190");
    e.put("SPOOR_VAR", VAR.toString());
    e.put("SPOOR_CONF", WORK.resolve("cluster.conf").toString());
    e.put("SPOOR_KAFKA_BROKERS", "3");
    e.put("SPOOR_HBASE_MODE", "distributed");
    e.put("SPOOR_SPARK_WORKERS", "2");
    e.put("SPOOR_SPARK_MASTER", "spark://127.0.0.1:" + e.get("SPOOR_SPARK_MASTER_PORT"));
    return e;
  }

  private static int port(String variable) {
    return Integer.parseInt(env.get(variable));
  }

  /**
   * conf/cluster.conf.example with this machine's hosts and ports in place of the example's, and files
   * of this test (the local stack's certificates, secrets made on first use) in place of /etc/spoor/.
   */
  private static String clusterConf() throws IOException {
    String text = Files.readString(HOME.resolve("conf/cluster.conf.example"), StandardCharsets.UTF_8);
    String host = "127.0.0.1:";
    int secure = port("SPOOR_KAFKA_SECURE_PORT");
    Map<String, String> local = new LinkedHashMap<>();
    local.put("include \"spoor.conf\"", "include file(\"" + HOME.resolve("conf/spoor.conf") + "\")");
    local.put("kafka-1.internal:9094", host + secure);
    local.put("kafka-2.internal:9094", host + (secure + 10));
    local.put("kafka-3.internal:9094", host + (secure + 20));
    local.put("namenode.internal:8020", host + port("SPOOR_HDFS_NAMENODE_PORT"));
    local.put("\"zk-1.internal\"", "\"127.0.0.1\"");
    local.put("zookeeper-port = 2181", "zookeeper-port = " + port("SPOOR_HBASE_ZK_PORT"));
    local.put("trino.internal:8080", host + port("SPOOR_TRINO_PORT"));
    local.put("trino.internal:8443", host + port("SPOOR_TRINO_HTTPS_PORT"));
    local.put("/etc/spoor/kafka-ca.pem", VAR.resolve("kafka-1/secure/broker-cert.pem").toString());
    local.put("/etc/spoor/trino-ca.pem", VAR.resolve("trino/etc/https-cert.pem").toString());
    local.put("/etc/spoor/", WORK.resolve("secrets") + "/");
    for (Map.Entry<String, String> swap : local.entrySet()) {
      assertThat(text).as("conf/cluster.conf.example still names " + swap.getKey()).contains(swap.getKey());
      text = text.replace(swap.getKey(), swap.getValue());
    }
    return text;
  }

  @BeforeAll
  static void aClusterShapedStack() throws IOException {
    env = environment();
    Files.createDirectories(WORK);
    Files.writeString(WORK.resolve("cluster.conf"), clusterConf(), StandardCharsets.UTF_8);
    stack = new LocalStack(StackConfig.from(TestStackConfig.config(env)));
    // A fresh cluster each run: whatever a killed run left is stopped, and its data deleted.
    stack.down(List.of("all"), line -> System.out.println("[scale-out stack, leftovers] " + line));
    FileUtils.deleteDirectory(VAR.toFile());
    FileUtils.deleteDirectory(WORK.resolve("secrets").toFile());
    Files.deleteIfExists(WORK.resolve("demo.out"));
    // Everything but the collector, which reads Spoor's configuration: the demo starts it, with its own.
    stack.up(List.of("hdfs", "kafka", "hbase", "trino", "spark"), line -> System.out.println("[scale-out stack] " + line));
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down(List.of("all"), line -> System.out.println("[scale-out stack] " + line));
    }
  }

  private static ProcessHandle running(String service) {
    ServiceLauncher launcher = stack.select(List.of(service)).get(0);
    return stack.process(launcher).running().orElseThrow(() -> new AssertionError(service + " is not running"));
  }

  /** Kills the service with SIGKILL and waits until it is gone. */
  private static void kill(String service) throws Exception {
    ProcessHandle process = running(service);
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
    System.out.println("[scale-out] killed " + service + " (pid " + process.pid() + ")");
  }

  /** Waits until the demo's output has a line matching {@code pattern}; fails if the demo ends first. */
  private static void awaitLine(Path output, Pattern pattern, Process demo, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readAllLines(output, StandardCharsets.UTF_8).stream().anyMatch(l -> pattern.matcher(l).find())) {
        return;
      }
      if (!demo.isAlive()) {
        throw new AssertionError("the demo ended before printing " + pattern + ":\n" + Files.readString(output));
      }
      demo.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("no " + pattern + " within " + timeout + ":\n" + Files.readString(output));
  }

  /** The region server carrying hbase:meta: the one whose death every client notices. */
  private static String metaRegionServer() throws IOException {
    Configuration conf = HBaseConfiguration.create();
    conf.set("hbase.zookeeper.quorum", "127.0.0.1");
    conf.setInt("hbase.zookeeper.property.clientPort", port("SPOOR_HBASE_ZK_PORT"));
    try (Connection connection = ConnectionFactory.createConnection(conf);
         RegionLocator meta = connection.getRegionLocator(TableName.META_TABLE_NAME)) {
      int metaPort = meta.getRegionLocation(HConstants.EMPTY_START_ROW, true).getServerName().getPort();
      int first = port("SPOOR_HBASE_RS_PORT");
      return "hbase-regionserver-" + (1 + (metaPort - first) / 10);
    }
  }

  private static Map<String, TopicDescription> topics(List<String> names) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port("SPOOR_KAFKA_PORT"));
    try (Admin admin = Admin.create(props)) {
      return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
    }
  }

  private static JsonNode sparkMaster() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port("SPOOR_SPARK_MASTER_UI_PORT") + "/json/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void theDemoVerifiesOnAClusterThatLosesABrokerAndARegionServerMidRun() throws Exception {
    Path output = WORK.resolve("demo.out");
    Files.createFile(output);
    Process demo = SpoorCommand.start(env, output, "demo", "--users", "24", "--days", "4", "--tail", "8");
    try {
      // Mid-traffic: the shop has sent its first tenth of visits.
      awaitLine(output, Pattern.compile("^\\s+\\d+%\\s+\\d+ visits"), demo, Duration.ofMinutes(6));
      kill("kafka-2");
      // As publish starts writing the view.
      awaitLine(output, Pattern.compile("publish: started"), demo, Duration.ofMinutes(12));
      String regionServer = metaRegionServer();
      kill(regionServer);
      assertThat(demo.waitFor(20, TimeUnit.MINUTES)).as("the demo finished").isTrue();
      String text = Files.readString(output, StandardCharsets.UTF_8);

      assertThat(demo.exitValue()).as(text).isZero();
      assertThat(text).contains("collector: healthy")
          // Traffic went on after the broker died: every later request acknowledged.
          .containsPattern("100%\\s+\\d+ visits")
          .containsPattern("publish: succeeded")
          .contains("verify: PASS, every output equals the truth");
      for (String check : List.of("events_clean: each accepted event once", "state store: published score and segments",
          "speed rule vip_cart (notify)", "speed rule unknown_users (gate)", "speed rule with_score (decorate)")) {
        assertThat(text.lines().filter(l -> l.contains(check) && l.matches(".*  (PASS|FAIL)  .*")).findFirst())
            .as(check).hasValueSatisfying(line -> assertThat(line).contains("  PASS  "));
      }
      // The dead stayed dead: the demo ran on two brokers and one region server from there on.
      assertThat(stack.process(stack.select(List.of("kafka-2")).get(0)).running()).isEmpty();
      assertThat(stack.process(stack.select(List.of(regionServer)).get(0)).running()).isEmpty();
      // Spoor's topics have a replica on each broker (the one on the dead broker out of sync).
      Map<String, TopicDescription> topics = topics(List.of("spoor.events.good", "spoor.events.bad"));
      assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).allSatisfy(partition -> {
        assertThat(partition.replicas()).hasSize(3);
        assertThat(partition.isr()).hasSize(2);
      }));
      // Each pipeline (landing and every batch job) ran as one application of the standalone cluster, its
      // executors on both workers, and finished.
      JsonNode master = sparkMaster();
      Map<String, Integer> coresOf = new TreeMap<>();
      master.path("completedapps").forEach(app -> coresOf.put(app.path("name").asText(), app.path("cores").asInt()));
      assertThat(coresOf).as("cores of each application: both workers' two").containsEntry("spoor-hourly", 4)
          .containsEntry("spoor-daily", 4);
      assertThat(master.path("aliveworkers").asInt()).isEqualTo(2);
      assertThat(text).containsPattern("Spark jobs run in this application, one after another \\(spark://");
    } finally {
      demo.destroyForcibly();
      System.out.println("[scale-out] demo output:\n" + Files.readString(output, StandardCharsets.UTF_8));
    }
  }
}
