package dev.spoor.speed.decide;

import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.read.SpeedView;
import dev.spoor.state.read.StateReader;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.ViewMeta;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/**
 * The state store as an executor JVM sees it: one HBase connection per JVM and configuration, shared
 * by every task that runs there, with one reader (and so one version-keyed cache), the speed view and
 * the view's meta table. Opened by the first task that needs it; replaced after an outage.
 */
final class ExecutorStateStore {
  /** What a task uses of the state store. */
  record Handles(Connection connection, StateReader reader, SpeedView speedView, ViewMeta meta) {}

  private static final Map<StateStoreConfig, Handles> OPEN = new ConcurrentHashMap<>();

  private ExecutorStateStore() {}

  static Handles of(StateStoreConfig config) throws IOException {
    try {
      return OPEN.computeIfAbsent(config, c -> {
        try {
          Connection connection = ConnectionFactory.createConnection(c.hbase());
          return new Handles(connection, new StateReader(connection, c), new SpeedView(connection, c),
              new BatchView(connection, c).meta());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Drops this JVM's connection (after an outage: the next task opens a new one). */
  static void invalidate(StateStoreConfig config) {
    Handles handles = OPEN.remove(config);
    if (handles != null) {
      try {
        handles.connection().close();
      } catch (IOException ignored) {
        // it is being replaced
      }
    }
  }

  /** Closes every connection this JVM opened (at shutdown). */
  static void closeAll() {
    OPEN.keySet().forEach(ExecutorStateStore::invalidate);
  }
}
