package dev.spoor.stack.runtime;

import dev.spoor.stack.StackException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The classpath of a service that runs from Maven Central artifacts (Kafka broker, HBase, Spark).
 *
 * <p>Each service has a small POM under {@code stack/runtime/NAME/} that is not part of the reactor, so
 * the broker's or the region server's dependencies never meet Spark's. On first use Maven resolves it
 * ({@code dependency:build-classpath}) and the result is cached under the cache directory, keyed by a
 * hash of the POM, so editing a runtime POM re-resolves it and a cleaned local repository is noticed.
 */
public final class RuntimeClasspath {
  private final Path home;
  private final Path cacheDir;

  public RuntimeClasspath(Path home, Path cacheDir) {
    this.home = home;
    this.cacheDir = cacheDir;
  }

  /** The jars of runtime {@code name}, resolving them with Maven the first time. */
  public List<Path> jars(String name) {
    Path pom = home.resolve("stack/runtime").resolve(name).resolve("pom.xml");
    if (!Files.isRegularFile(pom)) {
      throw new StackException("no runtime POM for " + name + " at " + pom);
    }
    try {
      Path cached = cacheDir.resolve("classpath").resolve(name + "-" + hash(pom) + ".txt");
      if (Files.isRegularFile(cached)) {
        List<Path> jars = parse(Files.readString(cached, StandardCharsets.UTF_8));
        if (jars.stream().allMatch(Files::isRegularFile)) {
          return jars;
        }
      }
      Files.createDirectories(cached.getParent());
      Path tmp = Files.createTempFile(cached.getParent(), name, ".tmp");
      MavenRunner.run(home, List.of("-f", pom.toString(), "dependency:build-classpath",
          "-Dmdep.outputFile=" + tmp, "-Dmdep.includeScope=runtime"),
          "resolve the " + name + " runtime from Maven Central", "the " + name + " runtime");
      Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return parse(Files.readString(cached, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new StackException("cannot cache the " + name + " classpath under " + cacheDir + ": "
          + e.getMessage(), e);
    }
  }

  /** The jars joined for {@code -cp}. */
  public String classpath(String name) {
    return String.join(File.pathSeparator, jars(name).stream().map(Path::toString).toList());
  }

  private static List<Path> parse(String text) {
    return Arrays.stream(text.trim().split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .toList();
  }

  private static String hash(Path file) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
