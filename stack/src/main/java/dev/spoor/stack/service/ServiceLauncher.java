package dev.spoor.stack.service;

import dev.spoor.stack.process.LaunchPlan;
import java.time.Duration;
import java.util.List;

/**
 * One kind of service of the local stack. A launcher knows how to lay out the service's files, the
 * command that runs it, the ports it binds and how to tell that it really serves (not merely that its
 * process exists). It holds no state of its own: the pid file and the data directory are the truth.
 */
public interface ServiceLauncher {
  /** Short name, used in the CLI, the var directory and the pid file: {@code kafka}. */
  String name();

  /**
   * Names that select this service together with others in the CLI and in {@link #dependsOn}:
   * {@code kafka} for every broker, {@code spark} for the master and its workers.
   */
  default List<String> groups() {
    return List.of();
  }

  /** A string of the process's command line that identifies it, usually its main class. */
  String processMarker();

  /** Every TCP port the service binds, with its role, checked before start. */
  List<ServicePort> ports();

  Duration startTimeout();

  /**
   * Prepares everything the service needs (downloads, configuration files, storage formatting) and
   * returns how to start it. Safe to call again: files are rewritten from configuration each time.
   */
  LaunchPlan prepare();

  /** One quick probe of real health; false while the service is still starting. Never throws. */
  boolean isHealthy();

  /**
   * A command that asks the running service to shut itself down in order, tried before SIGTERM
   * (HBase: the master stops the region server before ZooKeeper, instead of the region server
   * retrying a ZooKeeper that a signal already took away).
   */
  default java.util.Optional<LaunchPlan> orderlyStopCommand() {
    return java.util.Optional.empty();
  }

  /**
   * What {@code up} does once the service is healthy (started now or already running), as progress
   * lines: Kafka creates Spoor's topics. Idempotent.
   */
  default List<String> whenHealthy() {
    return List.of();
  }

  /** Services that must be healthy before this one starts; {@code up} brings them up first. */
  default List<String> dependsOn() {
    return List.of();
  }

  /** The port shown in {@code status}. */
  default int mainPort() {
    return ports().get(0).port();
  }
}
