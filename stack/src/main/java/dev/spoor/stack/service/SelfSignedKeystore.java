package dev.spoor.stack.service;

import dev.spoor.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A local service's TLS identity: a PKCS12 keystore with a self-signed certificate for its host, made
 * once with the JDK's keytool (the store's password from a file made on first use, never on a command
 * line), and the certificate as PEM where Spoor's clients read the certificate they trust.
 */
record SelfSignedKeystore(Path keystore, Path passwordFile, String alias, String host) {

  /** Makes the keystore if missing, exports its certificate to {@code certificate} when older; returns the keystore. */
  Path ensure(Path certificate) throws IOException {
    Secret.fromFile(passwordFile); // made before keytool reads it
    if (!Files.exists(keystore)) {
      Path fresh = keystore.resolveSibling(keystore.getFileName() + ".tmp");
      Files.deleteIfExists(fresh);
      keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
          "-dname", "CN=" + host, "-ext", "SAN=" + subjectAlternativeNames(host), "-storetype", "PKCS12",
          "-keystore", fresh.toString(), "-storepass:file", passwordFile.toString());
      Files.move(fresh, keystore, StandardCopyOption.ATOMIC_MOVE);
    }
    if (!Files.exists(certificate)
        || Files.getLastModifiedTime(certificate).compareTo(Files.getLastModifiedTime(keystore)) < 0) {
      Files.createDirectories(certificate.toAbsolutePath().getParent());
      Files.deleteIfExists(certificate);
      keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass:file",
          passwordFile.toString(), "-file", certificate.toString());
    }
    return keystore;
  }

  /** The store's password. */
  String password() {
    return Secret.fromFile(passwordFile);
  }

  /** The names a client may reach the host by: an address as an address (and localhost), else the name. */
  static String subjectAlternativeNames(String host) {
    boolean address = host.matches("[0-9.]+") || host.contains(":");
    return address ? "ip:" + host + ",dns:localhost" : "dns:" + host;
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}
