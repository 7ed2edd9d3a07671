package dev.spoor.stack.process;

/** A process as a person would want it named in an error: its pid and a shortened command line. */
public record ProcessDescription(long pid, String command) {
  private static final int MAX_COMMAND = 160;

  public static ProcessDescription of(long pid) {
    String command = CommandLines.of(pid).orElse("(command not visible)");
    return new ProcessDescription(pid, shorten(command));
  }

  static String shorten(String command) {
    // Java command lines carry huge classpaths; the main class at the end is what identifies them.
    String oneLine = command.replaceAll("\\s+", " ");
    String withoutClasspath = oneLine.replaceAll("(-cp|-classpath|--class-path) \\S+", "$1 …");
    return withoutClasspath.length() <= MAX_COMMAND
        ? withoutClasspath
        : withoutClasspath.substring(0, MAX_COMMAND / 2) + " … "
            + withoutClasspath.substring(withoutClasspath.length() - MAX_COMMAND / 2);
  }

  @Override
  public String toString() {
    return "pid " + pid + " (" + command + ")";
  }
}
