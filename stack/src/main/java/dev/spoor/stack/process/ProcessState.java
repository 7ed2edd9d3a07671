package dev.spoor.stack.process;

/** What the pid file of a service says about it. */
public enum ProcessState {
  RUNNING,
  STOPPED,
  /** A pid file is there but its process is gone: killed or crashed, not stopped by {@code down}. */
  DIED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
