package dev.spoor.stack;

import dev.spoor.config.SpoorConfigLoader;
import dev.spoor.stack.config.ClusterNode;
import dev.spoor.stack.config.HBaseSettings;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.process.LaunchPlan;
import dev.spoor.stack.process.LogTail;
import dev.spoor.stack.process.PortOwner;
import dev.spoor.stack.process.ProcessDescription;
import dev.spoor.stack.process.ProcessState;
import dev.spoor.stack.process.ServiceProcess;
import dev.spoor.stack.runtime.RuntimeClasspath;
import dev.spoor.stack.runtime.SparkHome;
import dev.spoor.stack.runtime.TrinoDistribution;
import dev.spoor.stack.service.CollectorLauncher;
import dev.spoor.stack.service.HBaseLauncher;
import dev.spoor.stack.service.HdfsDataNodeLauncher;
import dev.spoor.stack.service.HdfsNameNodeLauncher;
import dev.spoor.stack.service.KafkaLauncher;
import dev.spoor.stack.service.S3Launcher;
import dev.spoor.stack.service.ServiceLauncher;
import dev.spoor.stack.service.ServicePort;
import dev.spoor.stack.service.SparkMasterLauncher;
import dev.spoor.stack.service.SparkWorkerLauncher;
import dev.spoor.stack.service.TrinoLauncher;
import dev.spoor.stack.service.ZooKeeperLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The local stack: real Kafka, HBase, Trino and (optionally) a Spark standalone cluster, each its own
 * process bound to the configured address, with pid file, log and data under {@code var/}.
 *
 * <p>{@code up} is idempotent (a healthy service is left alone), checks ports and disk first, and
 * returns only once the service answers a real health probe. {@code down} stops gracefully, then
 * forcefully. The stack keeps no state in memory: any number of {@code LocalStack} objects (the CLI,
 * a test JVM) agree because the pid files are the truth. Not thread-safe; one caller at a time.
 */
public final class LocalStack {
  /** What {@code up} starts when no service is named. */
  public static final List<String> DEFAULT_SERVICES = List.of("kafka", "hbase", "trino");

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final int LOG_LINES_ON_FAILURE = 25;

  private final StackConfig config;
  private final List<ServiceLauncher> launchers;

  public LocalStack(StackConfig config) {
    this(config, launchers(config));
  }

  /** A stack of the given launchers, in start order. */
  LocalStack(StackConfig config, List<ServiceLauncher> launchers) {
    this.config = config;
    this.launchers = List.copyOf(launchers);
  }

  private static List<ServiceLauncher> launchers(StackConfig config) {
    RuntimeClasspath runtime = new RuntimeClasspath(config.home(), config.cacheDir());
    SparkHome sparkHome = new SparkHome(runtime, config.cacheDir());
    List<ServiceLauncher> launchers = new ArrayList<>(List.of(
        new HdfsNameNodeLauncher(config.hdfs(), config.serviceDir("hdfs-namenode"), runtime),
        new HdfsDataNodeLauncher(config.hdfs(), config.serviceDir("hdfs-datanode"), runtime),
        new S3Launcher(config.s3(), config.serviceDir("s3"), runtime)));
    for (ClusterNode node : config.kafka().nodes()) {
      launchers.add(new KafkaLauncher(config.kafka(), node, config.serviceDir(node.name("kafka")), runtime,
          config.topics()));
    }
    HBaseSettings hbase = config.hbase();
    if (hbase.distributed()) {
      launchers.add(new ZooKeeperLauncher(hbase, config.serviceDir("hbase-zookeeper"), runtime));
      launchers.add(new HBaseLauncher(hbase, HBaseLauncher.Role.MASTER, ClusterNode.single(),
          config.serviceDir("hbase-master"), runtime));
      for (ClusterNode node : hbase.regionServerNodes()) {
        launchers.add(new HBaseLauncher(hbase, HBaseLauncher.Role.REGION_SERVER, node,
            config.serviceDir(node.name("hbase-regionserver")), runtime));
      }
    } else {
      launchers.add(new HBaseLauncher(hbase, config.serviceDir("hbase"), runtime));
    }
    launchers.addAll(List.of(
        new TrinoLauncher(config.trino(), config.serviceDir("trino"), config.localLakeRoot(),
            S3Launcher.trinoProperties(config.s3()),
            new TrinoDistribution(config.home(), config.cacheDir(), config.trino().version()), config.cacheDir()),
        new CollectorLauncher(config.collector(), config.serviceDir("collector"), config.home()),
        new SparkMasterLauncher(config.spark(), config.serviceDir("spark-master"), sparkHome)));
    for (ClusterNode node : ClusterNode.of(config.spark().workers())) {
      launchers.add(new SparkWorkerLauncher(config.spark(), node, config.serviceDir(node.name("spark-worker")),
          sparkHome));
    }
    return launchers;
  }

  /** The stack of the checkout at {@code home}, configured by its {@code conf/spoor.conf}. */
  public static LocalStack fromHome(Path home) {
    return new LocalStack(StackConfig.from(SpoorConfigLoader.load(home)));
  }

  public StackConfig config() {
    return config;
  }

  /**
   * The launchers named, in start order. Accepts service names, group names ({@code kafka}: every
   * broker; {@code spark}: master and workers; {@code hdfs}: NameNode and DataNode; {@code hbase}: every
   * process of HBase), {@code all} (everything), and nothing (the default three).
   */
  public List<ServiceLauncher> select(List<String> names) {
    return select(launchers, names);
  }

  /** As {@link #select(List)}, from {@code from}; an unknown name is answered with this shape's names. */
  private List<ServiceLauncher> select(List<ServiceLauncher> from, List<String> names) {
    Set<String> expanded = new LinkedHashSet<>();
    for (String name : names.isEmpty() ? DEFAULT_SERVICES : names) {
      List<ServiceLauncher> matching = name.equals("all") ? from
          : from.stream().filter(l -> l.name().equals(name) || l.groups().contains(name)).toList();
      if (matching.isEmpty()) {
        Set<String> known = new LinkedHashSet<>(serviceNames());
        launchers.forEach(l -> known.addAll(l.groups()));
        throw new StackException("unknown service '" + name + "'; expected one of: " + String.join(", ", known)
            + ", all");
      }
      matching.forEach(l -> expanded.add(l.name()));
    }
    return from.stream().filter(l -> expanded.contains(l.name())).toList();
  }

  /** As {@link #select}, plus everything the selected services depend on: what {@code up} starts. */
  public List<ServiceLauncher> selectWithDependencies(List<String> names) {
    Set<String> expanded = new LinkedHashSet<>();
    select(names).forEach(l -> expanded.add(l.name()));
    // The launchers are listed in an order where each comes after what it needs.
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ServiceLauncher launcher : launchers) {
        if (expanded.contains(launcher.name()) && !launcher.dependsOn().isEmpty()) {
          for (ServiceLauncher needed : select(launcher.dependsOn())) {
            grew |= expanded.add(needed.name());
          }
        }
      }
    }
    return launchers.stream().filter(l -> expanded.contains(l.name())).toList();
  }

  public List<String> serviceNames() {
    return launchers.stream().map(ServiceLauncher::name).toList();
  }

  public ServiceProcess process(ServiceLauncher launcher) {
    return new ServiceProcess(launcher.name(), config.serviceDir(launcher.name()),
        launcher.processMarker());
  }

  /** Starts the named services (in dependency order) and waits until each is healthy. */
  public void up(List<String> names, Consumer<String> progress) {
    for (ServiceLauncher launcher : selectWithDependencies(names)) {
      up(launcher, progress);
    }
  }

  /**
   * Stops the named services (in reverse start order), of this stack's shape and of any other: the pid
   * files are the truth, so a stack started with three brokers, distributed HBase or more Spark workers
   * is stopped by a {@code down} without those settings. The nodes of one service (the brokers, the
   * region servers, the workers) are stopped at once: a KRaft broker stopped alone waits for its quorum's
   * controllers, which its peers are. Only this shape's services are reported when not running.
   */
  public void down(List<String> names, Consumer<String> progress) {
    List<ServiceLauncher> selected = new ArrayList<>(select(everyShape(), names.isEmpty() ? List.of("all") : names));
    java.util.Collections.reverse(selected);
    Set<String> thisShape = Set.copyOf(serviceNames());
    Map<String, List<ServiceLauncher>> peers = new LinkedHashMap<>();
    selected.forEach(launcher -> peers.computeIfAbsent(ClusterNode.service(launcher.name()), s -> new ArrayList<>())
        .add(launcher));
    ExecutorService stopping = Executors.newCachedThreadPool();
    try {
      for (List<ServiceLauncher> nodes : peers.values()) {
        List<Future<Optional<String>>> stops = new ArrayList<>();
        nodes.forEach(node -> stops.add(stopping.submit(() -> stop(node, thisShape.contains(node.name())))));
        for (Future<Optional<String>> stop : stops) {
          stop.get().ifPresent(progress);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while stopping the stack");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new StackException(e.getCause().toString());
    } finally {
      stopping.shutdownNow();
    }
  }

  /** Stops one service; what to report ({@code reportIdle}: also that it was not running). */
  private Optional<String> stop(ServiceLauncher launcher, boolean reportIdle) {
    ServiceProcess process = process(launcher);
    Optional<ProcessHandle> running = process.running();
    if (running.isPresent()) {
      launcher.orderlyStopCommand().ifPresent(plan -> orderlyStop(launcher, plan, running.get()));
    }
    if (process.stop(STOP_GRACE) || running.isPresent()) {
      return Optional.of(launcher.name() + ": stopped (pid " + running.map(ProcessHandle::pid).orElse(-1L) + ")");
    }
    return reportIdle ? Optional.of(launcher.name() + ": not running") : Optional.empty();
  }

  /**
   * The launchers of this shape and of every other (one broker or three; HBase standalone, or
   * distributed with up to nine region servers; up to nine Spark workers), all with this configuration's
   * directories and ports, in start order: each service where its shapes start it, its nodes together.
   */
  List<ServiceLauncher> everyShape() {
    List<List<ServiceLauncher>> shapes = List.of(launchers, launchers(config.withShape(1, false, 1, 1)),
        launchers(config.withShape(3, true, 9, 9)));
    // The services in start order: one a shape adds goes after the service it follows in that shape.
    List<String> services = new ArrayList<>();
    for (List<ServiceLauncher> shape : shapes) {
      int next = 0;
      for (ServiceLauncher launcher : shape) {
        String service = ClusterNode.service(launcher.name());
        int at = services.indexOf(service);
        if (at < 0) {
          services.add(next, service);
          at = next;
        }
        next = at + 1;
      }
    }
    Map<String, ServiceLauncher> byName = new LinkedHashMap<>();
    shapes.forEach(shape -> shape.forEach(launcher -> byName.putIfAbsent(launcher.name(), launcher)));
    return byName.values().stream()
        .sorted(java.util.Comparator.comparingInt(l -> services.indexOf(ClusterNode.service(l.name())))).toList();
  }

  /** Runs the service's own stop command and waits for the process to exit; signals follow if not. */
  private static void orderlyStop(ServiceLauncher launcher, LaunchPlan plan, ProcessHandle service) {
    try {
      Process stopper = new ProcessBuilder(plan.command()).directory(plan.workingDir().toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!stopper.waitFor(STOP_GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        stopper.destroyForcibly();
        return;
      }
      service.onExit().get(STOP_GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException
        | IOException e) {
      // the signals in ServiceProcess.stop take over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void up(ServiceLauncher launcher, Consumer<String> progress) {
    ServiceProcess process = process(launcher);
    Optional<ProcessHandle> running = process.running();
    if (running.isPresent()) {
      if (launcher.isHealthy()) {
        progress.accept(launcher.name() + ": already running (pid " + running.get().pid() + ")");
      } else {
        progress.accept(launcher.name() + ": running (pid " + running.get().pid()
            + ") but not healthy yet; waiting");
        awaitHealthy(launcher, process, running.get(), Instant.now());
      }
      launcher.whenHealthy().forEach(line -> progress.accept(launcher.name() + ": " + line));
      return;
    }
    if (process.state() == ProcessState.DIED) {
      progress.accept(launcher.name() + ": had died (see " + process.logFile() + "); starting again");
    }
    checkPorts(launcher);
    checkDisk(launcher);
    progress.accept(launcher.name() + ": preparing");
    LaunchPlan plan = launcher.prepare();
    Instant started = Instant.now();
    ProcessHandle handle = process.start(plan);
    progress.accept(launcher.name() + ": started (pid " + handle.pid() + "), waiting until healthy");
    awaitHealthy(launcher, process, handle, started);
    progress.accept(launcher.name() + ": healthy on " + launcher.ports().get(0).host() + ":"
        + launcher.mainPort() + " after " + Duration.between(started, Instant.now()).toMillis() / 100 / 10.0 + " s");
    launcher.whenHealthy().forEach(line -> progress.accept(launcher.name() + ": " + line));
  }

  private void awaitHealthy(ServiceLauncher launcher, ServiceProcess process, ProcessHandle handle,
      Instant started) {
    Instant deadline = started.plus(launcher.startTimeout());
    while (!launcher.isHealthy()) {
      if (!handle.isAlive()) {
        process.stop(Duration.ZERO);
        throw new StackException(launcher.name() + " died during start. Last lines of "
            + process.logFile() + ":\n" + LogTail.indented(process.logFile(), LOG_LINES_ON_FAILURE));
      }
      if (Instant.now().isAfter(deadline)) {
        process.stop(Duration.ofSeconds(10));
        throw new StackException(launcher.name() + " did not become healthy within "
            + launcher.startTimeout().toSeconds() + " s and was stopped. Last lines of "
            + process.logFile() + ":\n" + LogTail.indented(process.logFile(), LOG_LINES_ON_FAILURE));
      }
      sleep(POLL);
    }
  }

  private void checkPorts(ServiceLauncher launcher) {
    for (ServicePort port : launcher.ports()) {
      if (!PortOwner.isFree(port.host(), port.port())) {
        String owner = PortOwner.listenerOf(port.port())
            .map(ProcessDescription::toString)
            .orElse("a process this user cannot see");
        throw new StackException("cannot start " + launcher.name() + ": port " + port.port() + " ("
            + port.role() + ") on " + port.host() + " is in use by " + owner + ".\n  Fix: stop that"
            + " process, or give " + launcher.name() + " another port in conf/spoor.conf"
            + " (spoor.stack.* ports; each has an environment variable too).");
      }
    }
  }

  private void checkDisk(ServiceLauncher launcher) {
    try {
      Path dir = Files.createDirectories(config.serviceDir(launcher.name()));
      long free = Files.getFileStore(dir).getUsableSpace();
      if (free < config.minFreeDiskBytes()) {
        throw new StackException("cannot start " + launcher.name() + ": only " + human(free)
            + " free on the disk holding " + dir + " (need " + human(config.minFreeDiskBytes())
            + ").\n  Fix: free disk space, or move var-dir (SPOOR_VAR) to a larger disk.");
      }
    } catch (IOException e) {
      throw new StackException("cannot create " + config.serviceDir(launcher.name()) + ": "
          + e.getMessage() + " (is the disk full or read-only?)", e);
    }
  }

  /** One row per service of this shape, and per running one of another shape (see {@link #down}). */
  public List<ServiceStatus> status() {
    List<ServiceStatus> rows = new ArrayList<>();
    Set<String> thisShape = Set.copyOf(serviceNames());
    for (ServiceLauncher launcher : everyShape()) {
      ServiceProcess process = process(launcher);
      Optional<ProcessHandle> running = process.running();
      if (running.isEmpty() && !thisShape.contains(launcher.name())) {
        continue;
      }
      ProcessState state = process.state();
      boolean healthy = running.isPresent() && launcher.isHealthy();
      Optional<Duration> uptime = running.flatMap(h -> h.info().startInstant())
          .map(start -> Duration.between(start, Instant.now()));
      rows.add(new ServiceStatus(launcher.name(), state, healthy,
          running.map(ProcessHandle::pid), launcher.mainPort(), uptime,
          sizeOf(config.serviceDir(launcher.name())), process.logFile()));
    }
    return rows;
  }

  static long sizeOf(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
