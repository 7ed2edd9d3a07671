package dev.spoor.stack.service;

import dev.spoor.stack.config.S3Settings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An S3-compatible object store: S3Proxy (a Java server from Maven Central, its NIO.2 file-system
 * blob store behind Amazon's S3 REST API with V2 and V4 signatures), keeping each bucket as a
 * directory under {@code data/}. Chosen over MinIO because it runs from Maven Central on the JDK
 * the stack already uses, like every other service, with nothing to compile. Its configuration file
 * holds the secret key, so it is readable by its owner only.
 *
 * <p>It also writes the Hadoop client configuration for it, {@code client-conf/core-site.xml} (the
 * s3a endpoint, path-style access, the keys; owner-only), the directory a Spark job's
 * {@code HADOOP_CONF_DIR} names to reach a lake on {@code s3a://BUCKET/…}.
 */
public final class S3Launcher implements ServiceLauncher {
  private static final String MAIN = "org.gaul.s3proxy.Main";

  private final S3Settings settings;
  private final Path dir;
  private final RuntimeClasspath runtime;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public S3Launcher(S3Settings settings, Path dir, RuntimeClasspath runtime) {
    this.settings = settings;
    this.dir = dir;
    this.runtime = runtime;
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public String processMarker() {
    return MAIN;
  }

  @Override
  public List<ServicePort> ports() {
    return List.of(new ServicePort("s3", settings.host(), settings.port()));
  }

  @Override
  public Duration startTimeout() {
    return settings.startTimeout();
  }

  @Override
  public LaunchPlan prepare() {
    Path data = ConfigFiles.directory(dir.resolve("data"));
    ConfigFiles.directory(data.resolve(settings.bucket())); // a bucket is a directory of the blob store
    Path conf = ConfigFiles.ownerOnly(ConfigFiles.directory(dir.resolve("conf")));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("s3proxy.endpoint", settings.endpoint());
    p.put("s3proxy.authorization", "aws-v2-or-v4");
    p.put("s3proxy.identity", settings.accessKey());
    p.put("s3proxy.credential", settings.secretKey().read());
    // Trino's S3 client asks for restore status in listings (x-amz-optional-object-attributes), which
    // S3Proxy would refuse (501); the answer is the same without it (no archived objects here).
    p.put("s3proxy.ignore-unknown-headers", "true");
    p.put("jclouds.provider", "filesystem-nio2");
    p.put("jclouds.identity", settings.accessKey());
    p.put("jclouds.credential", settings.secretKey().read());
    p.put("jclouds.filesystem.basedir", data.toString());
    Path properties = ConfigFiles.properties(conf.resolve("s3proxy.properties"), p);
    ConfigFiles.hadoopXml(ConfigFiles.ownerOnly(ConfigFiles.directory(dir.resolve("client-conf")))
        .resolve("core-site.xml"), clientProperties(settings));
    Path logback = ConfigFiles.write(conf.resolve("logback.xml"), """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{1}: %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="out"/></root>
          <logger name="org.gaul.s3proxy" level="INFO"/>
        </configuration>
        """);
    List<String> command = JavaCommand.of(JavaCommand.currentJavaHome(), MAIN)
        .heap(settings.heapBytes())
        .property("logback.configurationFile", logback.toString())
        .classpath(runtime.classpath("s3proxy"))
        .args("--properties", properties.toString())
        .build();
    return new LaunchPlan(command, Map.of(), dir);
  }

  /** Hadoop's s3a settings for this store (the secret key included). */
  public static Map<String, String> clientProperties(S3Settings settings) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("fs.s3a.endpoint", settings.endpoint());
    p.put("fs.s3a.endpoint.region", "us-east-1");
    p.put("fs.s3a.path.style.access", "true");
    p.put("fs.s3a.connection.ssl.enabled", "false");
    p.put("fs.s3a.access.key", settings.accessKey());
    p.put("fs.s3a.secret.key", settings.secretKey().read());
    return p;
  }

  /** Trino's native S3 file system settings for this store (the secret key included). */
  public static Map<String, String> trinoProperties(S3Settings settings) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("fs.native-s3.enabled", "true");
    p.put("s3.endpoint", settings.endpoint());
    p.put("s3.region", "us-east-1");
    p.put("s3.path-style-access", "true");
    p.put("s3.aws-access-key", settings.accessKey());
    p.put("s3.aws-secret-key", settings.secretKey().read());
    return p;
  }

  /** Serving S3: an unsigned request is answered with S3's own refusal (403, an XML error). */
  @Override
  public boolean isHealthy() {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.endpoint() + "/"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 403 && response.body().contains("<Error>");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }
}
