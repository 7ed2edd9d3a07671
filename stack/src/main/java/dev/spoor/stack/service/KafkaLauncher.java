package dev.spoor.stack.service;

import dev.spoor.kafka.KafkaConnection;
import dev.spoor.kafka.TopicProvisioner;
import dev.spoor.kafka.TopicSpec;
import dev.spoor.stack.StackException;
import dev.spoor.stack.config.KafkaSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.process.OneShotCommand;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process). The storage directory is
 * formatted with {@code kafka.tools.StorageTool} on first start; later starts reuse it. Besides the
 * plain listener it has a secured one, as a cluster would: TLS with a self-signed certificate (its PEM
 * in {@code secure/broker-cert.pem}) and SCRAM-SHA-512 logins, the SCRAM user set from Spoor's client
 * password once the broker is up.
 */
public final class KafkaLauncher implements ServiceLauncher {
  private static final String MAIN = "kafka.Kafka";

  private final KafkaSettings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;
  private final List<TopicSpec> topics;

  public KafkaLauncher(KafkaSettings settings, Path dir, RuntimeClasspath runtime, List<TopicSpec> topics) {
    this.settings = settings;
    this.dir = dir;
    this.runtime = runtime;
    this.topics = List.copyOf(topics);
  }

  /**
   * The SCRAM user of the secured listener (set each start, so a changed password takes effect), and
   * Spoor's topics, created up front so no reader fails on one nobody has produced to yet.
   */
  @Override
  public List<String> whenHealthy() {
    KafkaConnection plain = KafkaConnection.plaintext(settings.bootstrapServers());
    try (Admin admin = Admin.create(plain.properties(Map.of()))) {
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

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("broker", settings.host(), settings.port()),
        new ServicePort("controller", settings.host(), settings.controllerPort()),
        new ServicePort("broker (SASL_SSL)", settings.host(), settings.securePort()));
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

  /** The secured listener's TLS and SASL settings; makes its keystore and certificate on first use. */
  private Map<String, String> secureListener() {
    Path secure = ConfigFiles.ownerOnly(ConfigFiles.directory(dir.resolve("secure")));
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
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + settings.controllerPort());
    p.put("listeners", "PLAINTEXT://" + host + ":" + settings.port() + ",CONTROLLER://" + host + ":"
        + settings.controllerPort() + ",SECURE://" + host + ":" + settings.securePort());
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + settings.port() + ",SECURE://" + host + ":"
        + settings.securePort());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SECURE:SASL_SSL");
    p.put("log.dirs", data.toString());
    p.put("num.partitions", Integer.toString(settings.defaultPartitions()));
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    return p;
  }

  private void format(String classpath, Path serverProperties, Path log4j) {
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), "kafka.tools.StorageTool")
        .property("log4j2.configurationFile", log4j.toString())
        .classpath(classpath)
        .heap(256L * 1024 * 1024)
        .args("format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString(),
            "--ignore-formatted")
        .build();
    OneShotCommand.run(command, dir.resolve("format.log"), Duration.ofMinutes(2), "formatting Kafka storage in " + dir);
  }

  @Override
  public boolean isHealthy() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    try (Admin admin = Admin.create(props)) {
      // Metadata answers and the broker is registered with the controller: it can take produce calls.
      return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
          .nodes().get(4, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }
}
