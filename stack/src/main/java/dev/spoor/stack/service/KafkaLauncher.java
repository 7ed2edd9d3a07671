package dev.spoor.stack.service;

import dev.spoor.kafka.KafkaConnection;
import dev.spoor.kafka.TopicProvisioner;
import dev.spoor.kafka.TopicSpec;
import dev.spoor.stack.StackException;
import dev.spoor.stack.config.ClusterNode;
import dev.spoor.stack.config.KafkaSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.process.OneShotCommand;
import dev.spoor.stack.process.PortOwner;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * One node of the local KRaft Kafka (broker and controller in one process; one node, or three voting
 * controllers that are brokers too). The storage directory is formatted with
 * {@code kafka.tools.StorageTool} on first start, every node with the cluster id kept beside their
 * directories; later starts reuse it. Besides the plain listener each has a secured one, as a cluster
 * would: TLS with a self-signed certificate (its PEM in {@code secure/broker-cert.pem}) and SCRAM-SHA-512
 * logins, the SCRAM user set from Spoor's client password once the cluster is up.
 */
public final class KafkaLauncher implements ServiceLauncher {
  private static final String MAIN = "kafka.Kafka";

  private final KafkaSettings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;
  private final List<TopicSpec> topics;
  private final ClusterNode node;

  /** The node {@code node} of the cluster, its files in {@code dir} (its name's directory under var). */
  public KafkaLauncher(KafkaSettings settings, ClusterNode node, Path dir, RuntimeClasspath runtime,
      List<TopicSpec> topics) {
    this.settings = settings;
    this.node = node;
    this.dir = dir;
    this.runtime = runtime;
    this.topics = List.copyOf(topics);
  }

  /**
   * Once the last node is up, when every broker has registered: the SCRAM user of the secured
   * listener (set each start, so a changed password takes effect), and Spoor's topics, created up
   * front so no reader fails on one nobody has produced to yet.
   */
  @Override
  public List<String> whenHealthy() {
    if (!node.isLast()) {
      return List.of();
    }
    KafkaConnection plain = KafkaConnection.plaintext(settings.bootstrapServers());
    try (Admin admin = Admin.create(plain.properties(Map.of()))) {
      awaitBrokers(admin);
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(settings.scramUser(),
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), settings.scramPassword().read())))
          .all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new StackException("cannot set the SCRAM user " + settings.scramUser() + " of Kafka's secured listener: "
          + e.getMessage(), e);
    }
    List<String> created = new TopicProvisioner(plain, Duration.ofSeconds(30)).ensure(topics);
    return created.isEmpty() ? List.of() : List.of("created topics " + String.join(", ", created));
  }

  /** Waits until every broker has registered, so topics can have all their replicas. */
  private void awaitBrokers(Admin admin) throws Exception {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    while (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() < settings.brokers()) {
      if (System.nanoTime() > deadline) {
        throw new StackException("not every one of Kafka's " + settings.brokers() + " brokers registered within "
            + settings.startTimeout().toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  @Override
  public String name() {
    return node.name("kafka");
  }

  @Override
  public List<String> groups() {
    return List.of("kafka");
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("broker", settings.host(), node.port(settings.port())),
        new ServicePort("controller", settings.host(), node.port(settings.controllerPort())),
        new ServicePort("broker (SASL_SSL)", settings.host(), node.port(settings.securePort())));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    String classpath = runtime.classpath("kafka");
    Path data = ConfigFiles.directory(dir.resolve("data"));
    Map<String, String> server = serverProperties(data);
    server.putAll(secureListener());
    Path serverProperties = ConfigFiles.properties(dir.resolve("server.properties"), server);
    Path log4j = ConfigFiles.log4j2(dir.resolve("log4j2.properties"),
        Map.of("kafka.request.logger", "WARN", "org.apache.kafka.controller", "WARN",
            "state.change.logger", "WARN"));
    if (!Files.isRegularFile(data.resolve("meta.properties"))) {
      format(classpath, serverProperties, log4j);
    }
    List<String> command = javaCommand(classpath, log4j)
        .heap(settings.heapBytes())
        .option("-XX:+UseG1GC")
        .args(serverProperties.toString())
        .build();
    return new LaunchPlan(command, Map.of(), dir);
  }

  private JavaCommand javaCommand(String classpath, Path log4j) {
    return JavaCommand.of(JavaCommand.currentJavaHome(), MAIN)
        .property("log4j2.configurationFile", log4j.toString())
        .classpath(classpath);
  }

  /**
   * The secured listener's TLS and SASL settings; makes its keystore and certificate on first use, in
   * the first node's directory: every node presents the same certificate, the one clients trust.
   */
  private Map<String, String> secureListener() {
    Path first = dir.resolveSibling(new ClusterNode(1, node.count()).name("kafka"));
    Path secure = ConfigFiles.ownerOnly(ConfigFiles.directory(first.resolve("secure")));
    SelfSignedKeystore tls = new SelfSignedKeystore(secure.resolve("broker-keystore.p12"),
        secure.resolve("broker-keystore.secret"), "kafka", settings.host());
    Path keystore;
    try {
      keystore = tls.ensure(secure.resolve("broker-cert.pem"));
    } catch (IOException e) {
      throw new StackException("cannot make Kafka's TLS keystore in " + secure + ": " + e.getMessage(), e);
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("listener.name.secure.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("listener.name.secure.ssl.keystore.type", "PKCS12");
    p.put("listener.name.secure.ssl.keystore.location", keystore.toString());
    p.put("listener.name.secure.ssl.keystore.password", tls.password());
    return p;
  }

  Map<String, String> serverProperties(Path data) {
    String host = settings.host();
    String plain = host + ":" + node.port(settings.port());
    String secure = host + ":" + node.port(settings.securePort());
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(node.index()));
    p.put("controller.quorum.voters", settings.nodes().stream()
        .map(n -> n.index() + "@" + host + ":" + n.port(settings.controllerPort())).collect(Collectors.joining(",")));
    p.put("listeners", "PLAINTEXT://" + plain + ",CONTROLLER://" + host + ":" + node.port(settings.controllerPort())
        + ",SECURE://" + secure);
    p.put("advertised.listeners", "PLAINTEXT://" + plain + ",SECURE://" + secure);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SECURE:SASL_SSL");
    p.put("log.dirs", data.toString());
    p.put("num.partitions", Integer.toString(settings.defaultPartitions()));
    String replication = Integer.toString(settings.replication());
    String minInSync = Integer.toString(settings.minInSyncReplicas());
    p.put("default.replication.factor", replication);
    p.put("min.insync.replicas", minInSync);
    p.put("offsets.topic.replication.factor", replication);
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", replication);
    p.put("transaction.state.log.min.isr", minInSync);
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", replication);
    p.put("share.coordinator.state.topic.min.isr", minInSync);
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    return p;
  }

  private void format(String classpath, Path serverProperties, Path log4j) {
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), "kafka.tools.StorageTool")
        .property("log4j2.configurationFile", log4j.toString())
        .classpath(classpath)
        .heap(256L * 1024 * 1024)
        .args("format", "-t", clusterId(), "-c", serverProperties.toString(),
            "--ignore-formatted")
        .build();
    OneShotCommand.run(command, dir.resolve("format.log"), Duration.ofMinutes(2), "formatting Kafka storage in " + dir);
  }

  /** The cluster's id, shared by its nodes: made by the first node formatted, kept beside the nodes' directories. */
  private String clusterId() {
    Path file = dir.resolveSibling("kafka-cluster.id");
    try {
      if (!Files.isRegularFile(file)) {
        Files.writeString(file, Uuid.randomUuid().toString());
      }
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new StackException("cannot keep Kafka's cluster id in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * This node's broker has registered with the controllers. Until a majority of the nodes listen
   * (nodes start one after another), no controller can be elected: a node is then healthy once it
   * listens, so that the next can start.
   */
  @Override
  public boolean isHealthy() {
    if (!PortOwner.isListening(settings.host(), node.port(settings.controllerPort()))) {
      return false;
    }
    long listening = settings.nodes().stream()
        .filter(n -> PortOwner.isListening(settings.host(), n.port(settings.controllerPort()))).count();
    if (listening < node.majority()) {
      return true;
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.host() + ":" + node.port(settings.port()));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    try (Admin admin = Admin.create(props)) {
      // Metadata answers and the broker is registered with the controller: it can take produce calls.
      return admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
          .nodes().get(4, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == node.index());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }
}
