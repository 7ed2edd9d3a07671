package dev.spoor.config;

/**
 * A configuration value that cannot be used. The message always names the key, the offending value
 * and what was expected, so that start-up fails with something a person can act on.
 */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidConfigException(String key, Object value, String expected) {
    super("invalid configuration " + key + " = " + value + ": expected " + expected);
    this.key = key;
  }

  public InvalidConfigException(String key, String problem) {
    super("invalid configuration " + key + ": " + problem);
    this.key = key;
  }

  /** The full HOCON path of the bad setting. */
  public String key() {
    return key;
  }
}
