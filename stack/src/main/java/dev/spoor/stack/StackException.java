package dev.spoor.stack;

/**
 * A failure of the local stack that a person can act on: a port in use, a missing JDK, a service that
 * died during start. The message is complete and is printed as is, without a stack trace.
 */
public final class StackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
