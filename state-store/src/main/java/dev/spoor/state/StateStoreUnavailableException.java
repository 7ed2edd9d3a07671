package dev.spoor.state;

/**
 * HBase did not answer within the retry policy ({@code spoor.state.retry}): the caller decides whether
 * to wait and try again (the speed layer does) or fail. The message says what was attempted and how
 * often; the cause is HBase's last error.
 */
public final class StateStoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StateStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
