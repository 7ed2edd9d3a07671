package dev.spoor.stack.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.config.Secret;
import dev.spoor.config.TrinoRegistrar;
import dev.spoor.stack.StackException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The local Trino's security: users read the lake, only the registrar changes its catalog.
 * <ul>
 *   <li>Plain HTTP keeps Trino's unauthenticated access (any user name, as Spoor's readers and
 *       notebooks connect), except for the registrar's name, which the user mapping refuses there.
 *   <li>HTTPS (a self-signed certificate made once, its PEM written where the registrar's clients
 *       trust it) authenticates with passwords from a password file: the registrar's, PBKDF2-hashed.
 *   <li>File-based access control: the registrar may create schemas in the lake's catalog, own its
 *       tables (register, unregister, show their definition), read them and call the two
 *       registration procedures, and write no rows; every other user may read the catalog and
 *       Trino's {@code system} catalog, and write nothing, nor call a procedure.
 * </ul>
 * The files hold secrets (the keystore's password, the internal shared secret), so {@code etc} is
 * readable by its owner only.
 */
record TrinoSecurity(Path etc, String host, String catalog, TrinoRegistrar registrar) {
  private static final int PBKDF2_ITERATIONS = 10_000;
  private static final String KEYSTORE = "https-keystore.p12";

  /** Writes the security files; returns the entries of {@code config.properties} that use them. */
  Map<String, String> write(int httpsPort) {
    try {
      ConfigFiles.ownerOnly(etc);
      SelfSignedKeystore https = new SelfSignedKeystore(etc.resolve(KEYSTORE), etc.resolve("https-keystore.secret"),
          "trino", host);
      Path keystore = https.ensure(registrar.trustCertificate());
      Path passwords = ConfigFiles.write(etc.resolve("password.db"), registrar.user() + ":"
          + pbkdf2(registrar.password().read()) + "\n");
      Path authenticator = ConfigFiles.properties(etc.resolve("password-authenticator.properties"),
          Map.of("password-authenticator.name", "file", "file.password-file", passwords.toString()));
      Path rules = ConfigFiles.write(etc.resolve("rules.json"), rules());
      Path accessControl = ConfigFiles.properties(etc.resolve("access-control.properties"),
          Map.of("access-control.name", "file", "security.config-file", rules.toString()));
      Map<String, String> config = new LinkedHashMap<>();
      config.put("http-server.https.enabled", "true");
      config.put("http-server.https.port", Integer.toString(httpsPort));
      config.put("http-server.https.keystore.path", keystore.toString());
      config.put("http-server.https.keystore.key", https.password());
      config.put("http-server.authentication.type", "PASSWORD");
      config.put("http-server.authentication.allow-insecure-over-http", "true");
      config.put("http-server.authentication.insecure.user-mapping.pattern", insecureUsers(registrar.user()));
      config.put("internal-communication.shared-secret", Secret.fromFile(etc.resolve("internal-communication.secret")));
      config.put("password-authenticator.config-files", authenticator.toString());
      config.put("access-control.config-files", accessControl.toString());
      return config;
    } catch (IOException | GeneralSecurityException e) {
      throw new StackException("cannot write Trino's security configuration under " + etc + ": " + e.getMessage(), e);
    }
  }

  /** Every user name but the registrar's (a user mapping: no match, no access); names are [a-z0-9_]. */
  static String insecureUsers(String registrar) {
    return "(?!" + registrar + "$)(.+)";
  }

  /** The access rules (Trino's file-based system access control). */
  String rules() throws IOException {
    String user = registrar.user(); // names are lower-case SQL identifiers: no regular expression characters
    String readable = "(" + catalog + "|system)";
    Map<String, Object> rules = new LinkedHashMap<>();
    rules.put("catalogs", List.of(
        Map.of("user", user, "catalog", catalog, "allow", "all"),
        Map.of("catalog", readable, "allow", "read-only")));
    rules.put("schemas", List.of(Map.of("user", user, "owner", true), Map.of("owner", false)));
    rules.put("tables", List.of(
        Map.of("user", user, "privileges", List.of("SELECT", "OWNERSHIP")),
        Map.of("privileges", List.of("SELECT"))));
    rules.put("procedures", List.of(Map.of("user", user, "catalog", catalog, "schema", "system",
        "procedure", "(register_table|unregister_table)", "privileges", List.of("EXECUTE"))));
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rules);
  }

  /** Trino's PBKDF2 password hash: {@code iterations:salt:hash}, hex, HMAC-SHA1 (its file authenticator's). */
  static String pbkdf2(String password) throws GeneralSecurityException {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, 256)).getEncoded();
    return PBKDF2_ITERATIONS + ":" + HexFormat.of().formatHex(salt) + ":" + HexFormat.of().formatHex(hash);
  }
}
