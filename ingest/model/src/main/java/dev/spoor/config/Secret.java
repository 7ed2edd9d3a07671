package dev.spoor.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A secret of the configuration: from its value key (set from the environment) when set, else from
 * its file, which is created with 32 random bytes (hex, mode 600) on first use. Read when asked, not
 * when the configuration is loaded; never in {@link #toString}.
 *
 * @param section the configuration section holding both keys
 * @param valueKey the key of the value (e.g. {@code secret = ${?SPOOR_ERASURE_SECRET}})
 * @param fileKey the key of the file, relative to {@code home} unless absolute
 */
public record Secret(Settings section, String valueKey, String fileKey, Path home, int minBytes) {
  /** The secret's text: the value, else the file's first line, created if missing. */
  public String read() {
    if (section.has(valueKey)) {
      return checked(section.string(valueKey), section.full(valueKey));
    }
    Path file = home.resolve(section.string(fileKey));
    return checked(fromFile(file), section.full(fileKey) + " (" + file + ")");
  }

  /** The first line of {@code file}, which is created with 32 random bytes (hex, mode 600) if missing. */
  public static String fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return Files.readString(file).strip().lines().findFirst().orElse("").strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret " + file, e);
    }
  }

  private String checked(String secret, String where) {
    if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < minBytes) {
      throw new InvalidConfigException(where, "needs at least " + minBytes + " bytes");
    }
    return secret;
  }

  /** Creates {@code file} with 32 random bytes in hex, mode 600; of two processes creating it, one wins. */
  private static void create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path fresh = Files.createTempFile(dir, ".secret", ".tmp");
    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(fresh, HexFormat.of().formatHex(random));
    try {
      Files.createLink(file, fresh); // atomic: both processes then read the winner's
    } catch (FileAlreadyExistsException raced) {
      // the other process's secret is the one
    } finally {
      Files.delete(fresh);
    }
  }

  @Override
  public String toString() {
    return "Secret[" + section.full(valueKey) + " or " + section.full(fileKey) + "]";
  }
}
