package dev.spoor.speed.decide;

import dev.spoor.lake.erasure.ErasedIds;
import dev.spoor.lake.erasure.ErasureKey;
import dev.spoor.lake.erasure.ErasureLog;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.erase.ErasedRegister;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The erased ids as an executor JVM knows them: read from the state store ({@link ErasedRegister}) by
 * the first task that needs them, then again once they are older than {@code spoor.speed.erased-refresh}
 * (the speed layer's staleness bound for erasures).
 */
final class ErasedEvents {
  private record Loaded(ErasedIds ids, long atNanos) {}

  private static final Map<StateStoreConfig, Loaded> LOADED = new ConcurrentHashMap<>();

  private ErasedEvents() {}

  static ErasedIds current(ExecutorStateStore.Handles store, StateStoreConfig config, ErasureKey key, Duration refresh)
      throws IOException {
    Loaded loaded = LOADED.get(config);
    if (loaded == null || System.nanoTime() - loaded.atNanos() > refresh.toNanos()) {
      Map<String, Timestamp> users = new HashMap<>();
      Map<String, Timestamp> devices = new HashMap<>();
      for (ErasedRegister.Entry entry : ErasedRegister.all(store.connection(), config)) {
        (entry.kind().equals(ErasureLog.USER_ID) ? users : devices).put(entry.hmac(), Timestamp.from(entry.at()));
      }
      loaded = new Loaded(new ErasedIds(key, users, devices, Map.of()), System.nanoTime());
      LOADED.put(config, loaded);
    }
    return loaded.ids();
  }
}
