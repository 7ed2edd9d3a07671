package dev.spoor.stack.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a service JVM. Every JVM we start carries the module openings that Spark and
 * HBase need on JDK 17+ (from Spark's {@code JavaModuleOptions} and HBase's {@code bin/hbase}),
 * bound to 127.0.0.1 with IPv4 preferred.
 */
public final class JavaCommand {
  /** The {@code --add-opens} flags of Spark's launcher and HBase's start script. */
  public static final List<String> MODULE_OPENINGS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true");

  private final Path javaHome;
  private final String mainClass;
  private final List<String> jvmOptions = new ArrayList<>();
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private final List<String> arguments = new ArrayList<>();
  private String classpath = "";

  private JavaCommand(Path javaHome, String mainClass) {
    this.javaHome = javaHome;
    this.mainClass = mainClass;
  }

  public static JavaCommand of(Path javaHome, String mainClass) {
    return new JavaCommand(javaHome, mainClass);
  }

  /** The JDK this JVM (the one running {@code bin/spoor}) runs on. */
  public static Path currentJavaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  public JavaCommand heap(long bytes) {
    long mb = Math.max(64, bytes / (1024 * 1024));
    jvmOptions.add("-Xms" + Math.min(mb, 256) + "m");
    jvmOptions.add("-Xmx" + mb + "m");
    return this;
  }

  public JavaCommand option(String option) {
    jvmOptions.add(option);
    return this;
  }

  public JavaCommand options(List<String> options) {
    jvmOptions.addAll(options);
    return this;
  }

  public JavaCommand property(String key, String value) {
    systemProperties.put(key, value);
    return this;
  }

  public JavaCommand classpath(String value) {
    this.classpath = value;
    return this;
  }

  public JavaCommand args(String... values) {
    arguments.addAll(List.of(values));
    return this;
  }

  public List<String> build() {
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin/java").toString());
    command.addAll(jvmOptions);
    command.add("-Djava.net.preferIPv4Stack=true");
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    if (!classpath.isEmpty()) {
      command.add("-cp");
      command.add(classpath);
    }
    command.add(mainClass);
    command.addAll(arguments);
    return command;
  }
}
