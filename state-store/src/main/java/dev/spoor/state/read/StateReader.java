package dev.spoor.state.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.spoor.state.Retry;
import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.RowKeys;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.UserState;
import dev.spoor.state.view.ViewMeta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;

/**
 * The speed layer's view of the batch state: users read at the committed version in one batched
 * multi-get, through a cache keyed by (user, version). The committed version is re-read at most every
 * {@code commit-check-interval}; when it moves, the cache is dropped, so no answer mixes two versions.
 * Absent users are cached too (as absent). HBase errors are retried by the store's policy and then
 * surface as {@link dev.spoor.state.StateStoreUnavailableException}. Thread-safe.
 */
public final class StateReader {
  private final Connection connection;
  private final StateTables tables;
  private final RowKeys keys;
  private final ViewMeta meta;
  private final Retry retry;
  private final long checkNanos;
  private final LongSupplier clock;
  private final Cache<Key, Optional<UserState>> cache;
  private volatile long version = -1;
  private volatile long checkedAt;

  private record Key(String user, long version) {}

  public StateReader(Connection connection, StateStoreConfig config) {
    this(connection, config, System::nanoTime);
  }

  StateReader(Connection connection, StateStoreConfig config, LongSupplier clock) {
    this.connection = connection;
    this.tables = new StateTables(config);
    this.keys = new RowKeys(config.saltBuckets());
    this.retry = new Retry(config);
    this.meta = new ViewMeta(connection, tables, retry);
    this.checkNanos = config.commitCheckInterval().toNanos();
    this.clock = clock;
    this.cache = Caffeine.newBuilder().maximumSize(config.cacheEntries()).recordStats().build();
  }

  /** The committed version (−1 before the first publish), re-read when older than the check interval. */
  public long committedVersion() {
    long now = clock.getAsLong();
    if (version < 0 || now - checkedAt >= checkNanos) {
      refresh();
    }
    return version;
  }

  /** Re-reads the committed version now; drops the cache if it moved. */
  public synchronized long refresh() {
    long current = meta.committed().orElse(-1L);
    if (current != version) {
      cache.invalidateAll();
      version = current;
    }
    checkedAt = clock.getAsLong();
    return version;
  }

  /** The users present in the committed view, keyed by user; absent users are left out. */
  public Map<String, UserState> getAll(Collection<String> users) {
    return getAll(users, committedVersion());
  }

  public Optional<UserState> get(String user) {
    return Optional.ofNullable(getAll(List.of(user)).get(user));
  }

  /** The users as of {@code at} (any version still kept); not cached unless it is the committed one. */
  public Map<String, UserState> getAll(Collection<String> users, long at) {
    Map<String, UserState> found = new LinkedHashMap<>();
    if (at < 0) {
      return found;
    }
    boolean cached = at == version;
    List<String> missing = new ArrayList<>();
    for (String user : new LinkedHashSet<>(users)) {
      Optional<UserState> hit = cached ? cache.getIfPresent(new Key(user, at)) : null;
      if (hit == null) {
        missing.add(user);
      } else {
        hit.ifPresent(state -> found.put(user, state));
      }
    }
    if (missing.isEmpty()) {
      return found;
    }
    Result[] results = retry.call("reading " + missing.size() + " users at version " + at, () -> {
      List<Get> gets = new ArrayList<>(missing.size());
      for (String user : missing) {
        gets.add(new Get(keys.rowKey(user)).addColumn(StateTables.BATCH, StateTables.DOC).setTimeRange(0, at + 1)
            .readVersions(1));
      }
      try (Table table = connection.getTable(tables.users())) {
        return table.get(gets);
      }
    });
    for (int i = 0; i < results.length; i++) {
      String user = missing.get(i);
      var cell = results[i].getColumnLatestCell(StateTables.BATCH, StateTables.DOC);
      Optional<UserState> state = cell == null || cell.getValueLength() == 0
          ? Optional.empty()
          : Optional.of(UserState.parse(user, cell.getTimestamp(), org.apache.hadoop.hbase.CellUtil.cloneValue(cell)));
      state.ifPresent(s -> found.put(user, s));
      if (cached) {
        cache.put(new Key(user, at), state);
      }
    }
    return found;
  }

  /** Cache hits and misses so far (for metrics). */
  public com.github.benmanes.caffeine.cache.stats.CacheStats cacheStats() {
    return cache.stats();
  }
}
