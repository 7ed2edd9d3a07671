package dev.spoor.stack.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one service process: the full command, extra environment, and the working directory.
 * Produced by a launcher after it has written the service's configuration files.
 */
public record LaunchPlan(List<String> command, Map<String, String> environment, Path workingDir) {
  public LaunchPlan {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
