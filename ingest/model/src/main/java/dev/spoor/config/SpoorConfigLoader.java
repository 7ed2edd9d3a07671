package dev.spoor.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads Spoor's HOCON configuration.
 *
 * <p>Order of precedence, highest first: JVM system properties ({@code -Dspoor.stack.kafka.port=…}),
 * the file named by {@code SPOOR_CONF} (or the explicit file given), and {@code conf/spoor.conf} under
 * the Spoor home. Environment variables are wired into {@code conf/spoor.conf} itself with HOCON's
 * {@code ${?SPOOR_…}} substitutions, so that every override is visible in one file. The key
 * {@code spoor.home} is always set to the absolute home directory so that paths can be relative to it.
 */
public final class SpoorConfigLoader {
  /** Name of the environment variable that points to an alternative configuration file. */
  public static final String CONF_ENV = "SPOOR_CONF";

  private SpoorConfigLoader() {}

  /** Loads {@code conf/spoor.conf} (or {@code $SPOOR_CONF}) from the given home. */
  public static Config load(Path home) {
    return load(home, System.getenv());
  }

  static Config load(Path home, Map<String, String> env) {
    return load(home, file(home, env));
  }

  /** The file {@code env}'s {@code SPOOR_CONF} names, else {@code conf/spoor.conf}. */
  private static Path file(Path home, Map<String, String> env) {
    String override = env.get(CONF_ENV);
    return override == null || override.isBlank() ? home.resolve("conf/spoor.conf") : home.resolve(override);
  }

  /** Loads the given file, which may {@code include} others relative to itself. */
  public static Config load(Path home, Path file) {
    return load(home, file, ConfigFactory.empty());
  }

  /**
   * Loads {@code conf/spoor.conf} with {@code overrides} on top of everything else; tests use this
   * to give their stack its own ports and directories. Substitutions see the overridden values.
   */
  public static Config loadWithOverrides(Path home, Config overrides) {
    return load(home, home.resolve("conf/spoor.conf"), overrides, ConfigFactory.systemEnvironment());
  }

  /**
   * As {@link #loadWithOverrides(Path, Config)}, with {@code environment} standing in for the process
   * environment in {@code ${?SPOOR_…}} substitutions: what a subprocess with that environment sees.
   */
  public static Config loadWithOverrides(Path home, Config overrides, Config environment) {
    return load(home, home.resolve("conf/spoor.conf"), overrides, environment);
  }

  /**
   * What a subprocess sees whose environment is this process's with {@code env} on top: the file
   * {@code env}'s {@code SPOOR_CONF} names (else {@code conf/spoor.conf}), {@code env} first in its
   * {@code ${?SPOOR_…}} substitutions.
   */
  public static Config loadWithEnvironment(Path home, Map<String, String> env) {
    return load(home, file(home, env), ConfigFactory.empty(),
        ConfigFactory.parseMap(env).withFallback(ConfigFactory.systemEnvironment()));
  }

  private static Config load(Path home, Path file, Config overrides) {
    return load(home, file, overrides, ConfigFactory.systemEnvironment());
  }

  private static Config load(Path home, Path file, Config overrides, Config environment) {
    Path absoluteHome = home.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new InvalidConfigException(CONF_ENV, file, "a readable HOCON file");
    }
    try {
      Config parsed = ConfigFactory.parseFile(file.toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false));
      Config withHome = overrides
          .withFallback(ConfigFactory.systemProperties())
          .withFallback(parsed)
          .withFallback(ConfigFactory.empty().withValue("spoor.home",
              ConfigValueFactory.fromAnyRef(absoluteHome.toString())));
      // Substitutions look in the file first, then in the environment given (normally the process's);
      // only the spoor tree is kept, so neither environment nor JVM properties leak into it.
      return withHome.withFallback(environment)
          .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false).setUseSystemEnvironment(false))
          .withOnlyPath("spoor");
    } catch (ConfigException e) {
      String message = e.getMessage();
      throw new InvalidConfigException(e.origin() == null ? file.toString() : e.origin().description(),
          message.length() > 400 ? message.substring(0, 400) + " …" : message);
    }
  }
}
