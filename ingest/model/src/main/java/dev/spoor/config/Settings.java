package dev.spoor.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigMemorySize;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Typed, validated reads of a configuration section. Every failure becomes an
 * {@link InvalidConfigException} with the full key, the value and what was expected; records that
 * describe a component build themselves from a section with these helpers at start-up.
 */
public final class Settings {
  private final Config config;
  private final String prefix;

  private Settings(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  /** The section at {@code path} of a loaded configuration. */
  public static Settings of(Config root, String path) {
    if (!root.hasPath(path)) {
      throw new InvalidConfigException(path, "missing section");
    }
    return new Settings(root.getConfig(path), path);
  }

  public Settings section(String key) {
    return of(config, key).withPrefix(full(key));
  }

  private Settings withPrefix(String newPrefix) {
    return new Settings(config, newPrefix);
  }

  public String full(String key) {
    return prefix + "." + key;
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    try {
      String value = config.getString(key);
      if (value.isBlank()) {
        throw new InvalidConfigException(full(key), "\"\"", "a non-empty string");
      }
      return value;
    } catch (ConfigException e) {
      throw wrap(key, "a string", e);
    }
  }

  /** A list of sections (objects), each named {@code key[i]} in error messages. */
  public java.util.List<Settings> sectionList(String key) {
    java.util.List<? extends Config> items;
    try {
      items = config.getConfigList(key);
    } catch (ConfigException e) {
      throw wrap(key, "a list of objects", e);
    }
    java.util.List<Settings> sections = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      sections.add(new Settings(items.get(i), full(key) + "[" + i + "]"));
    }
    return java.util.List.copyOf(sections);
  }

  /** A list of strings (may be empty). */
  public java.util.List<String> stringList(String key) {
    try {
      return java.util.List.copyOf(config.getStringList(key));
    } catch (ConfigException e) {
      throw wrap(key, "a list of strings", e);
    }
  }

  /**
   * A section of free-form string settings, flattened: {@code client { linger.ms = 5 }} and
   * {@code client { "linger.ms" = 5 }} both give {@code linger.ms -> 5}. Empty when unset.
   */
  public java.util.Map<String, String> stringMap(String key) {
    if (!config.hasPath(key)) {
      return java.util.Map.of();
    }
    java.util.Map<String, String> values = new java.util.TreeMap<>();
    try {
      for (var entry : config.getConfig(key).entrySet()) {
        String name = String.join(".", com.typesafe.config.ConfigUtil.splitPath(entry.getKey()));
        Object value = entry.getValue().unwrapped();
        if (value instanceof java.util.List || value instanceof java.util.Map) {
          throw new InvalidConfigException(full(key) + "." + name, value, "a string, number or boolean");
        }
        values.put(name, String.valueOf(value));
      }
    } catch (ConfigException e) {
      throw wrap(key, "an object of settings", e);
    }
    return java.util.Map.copyOf(values);
  }

  /** True or false. */
  public boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw wrap(key, "true or false", e);
    }
  }

  public int integer(String key, int min, int max) {
    int value;
    try {
      value = config.getInt(key);
    } catch (ConfigException e) {
      throw wrap(key, "an integer", e);
    }
    if (value < min || value > max) {
      throw new InvalidConfigException(full(key), value, "an integer from " + min + " to " + max);
    }
    return value;
  }

  /** A TCP port from 1 to 65535. */
  public int port(String key) {
    return integer(key, 1, 65_535);
  }

  public Duration duration(String key) {
    try {
      Duration value = config.getDuration(key);
      if (value.isNegative() || value.isZero()) {
        throw new InvalidConfigException(full(key), value, "a positive duration such as 60s");
      }
      return value;
    } catch (ConfigException e) {
      throw wrap(key, "a duration such as 60s", e);
    }
  }

  /** A memory size in bytes, written as 512m, 2g, … */
  public long bytes(String key) {
    try {
      ConfigMemorySize value = config.getMemorySize(key);
      if (value.toBytes() <= 0) {
        throw new InvalidConfigException(full(key), value, "a positive size such as 512m");
      }
      return value.toBytes();
    } catch (ConfigException e) {
      throw wrap(key, "a size such as 512m or 2g", e);
    }
  }

  /** A path; a relative one is taken relative to {@code base}. */
  public Path path(String key, Path base) {
    return base.resolve(string(key)).toAbsolutePath().normalize();
  }

  private InvalidConfigException wrap(String key, String expected, ConfigException e) {
    if (e instanceof ConfigException.Missing) {
      return new InvalidConfigException(full(key), "missing; expected " + expected);
    }
    Object raw = config.hasPath(key) ? config.getValue(key).unwrapped() : "(unset)";
    return new InvalidConfigException(full(key), raw, expected);
  }
}
