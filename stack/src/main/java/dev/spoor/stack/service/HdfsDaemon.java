package dev.spoor.stack.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.stack.config.HdfsSettings;
import dev.spoor.stack.process.JavaCommand;
import dev.spoor.stack.runtime.RuntimeClasspath;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What HDFS's two daemons share: their configuration directory (core-site, hdfs-site, log4j, the
 * empty web application directories Hadoop's HTTP server looks up on the classpath, which the
 * Maven artifacts do not carry), their command line, and the NameNode's JMX answers their health
 * probes read.
 */
final class HdfsDaemon {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private HdfsDaemon() {}

  /** Writes {@code dir/conf} for a daemon whose storage is under {@code dir}; returns the directory. */
  static Path configuration(Path dir, HdfsSettings settings) {
    Path conf = ConfigFiles.directory(dir.resolve("conf"));
    for (String app : List.of("hdfs", "datanode", "static")) {
      ConfigFiles.directory(conf.resolve("webapps").resolve(app));
    }
    ConfigFiles.hadoopXml(conf.resolve("core-site.xml"), Map.of("fs.defaultFS", settings.uri(),
        "hadoop.tmp.dir", dir.resolve("tmp").toString()));
    String host = settings.host();
    Map<String, String> site = new LinkedHashMap<>();
    site.put("dfs.namenode.name.dir", dir.resolve("name").toUri().toString());
    site.put("dfs.datanode.data.dir", dir.resolve("data").toUri().toString());
    site.put("dfs.replication", "1");
    site.put("dfs.namenode.rpc-address", host + ":" + settings.namenodePort());
    site.put("dfs.namenode.http-address", host + ":" + settings.httpPort());
    site.put("dfs.namenode.secondary.http-address", host + ":0");
    site.put("dfs.datanode.address", host + ":" + settings.datanodePort());
    site.put("dfs.datanode.http.address", host + ":0");
    site.put("dfs.datanode.ipc.address", host + ":0");
    site.put("dfs.datanode.hostname", host);
    // One machine: no 30 s wait in safe mode at start, no permission checks between local users.
    site.put("dfs.namenode.safemode.extension", "0");
    site.put("dfs.permissions.enabled", "false");
    ConfigFiles.hadoopXml(conf.resolve("hdfs-site.xml"), site);
    ConfigFiles.log4j1(conf.resolve("log4j.properties"), Map.of("org.apache.hadoop.hdfs.StateChange", "WARN",
        "org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit", "WARN",
        "org.apache.hadoop.hdfs.server.datanode.DataNode.clienttrace", "WARN",
        "http.requests.namenode", "WARN", "http.requests.datanode", "WARN"));
    return conf;
  }

  static JavaCommand command(Path conf, HdfsSettings settings, RuntimeClasspath runtime, String main) {
    return JavaCommand.of(JavaCommand.currentJavaHome(), main)
        .heap(settings.heapBytes())
        .options(JavaCommand.MODULE_OPENINGS) // WebHDFS's JAXB reflects into java.lang on JDK 17
        .option("-XX:+UseG1GC")
        .property("log4j.configuration", conf.resolve("log4j.properties").toUri().toString())
        .classpath(conf + File.pathSeparator + runtime.classpath("hdfs"));
  }

  /** The NameNode's JMX bean {@code name} (of service NameNode), when it answers. */
  static Optional<JsonNode> nameNodeBean(HdfsSettings settings, String name) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create(settings.httpUrl() + "/jmx?qry=Hadoop:service=NameNode,name=" + name))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode beans = JSON.readTree(response.body()).path("beans");
      return beans.isArray() && !beans.isEmpty() ? Optional.of(beans.get(0)) : Optional.empty();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }
  }
}
