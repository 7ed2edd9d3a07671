package dev.spoor.state.erase;

import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.RowKeys;
import dev.spoor.state.table.StateTables;
import dev.spoor.state.view.BatchView;
import dev.spoor.state.view.ViewMeta;
import java.io.IOException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Table;

/**
 * Erases one user from the state store: their row of the user-state table, every family (the batch
 * view's versions and the speed layer's counters) and every version, in one delete. Readers see
 * nothing for the user at any version published so far, a rollback included; a later publish that
 * has the user again is visible as any other. The delete is a tombstone until the region's next
 * major compaction removes the cells from disk, so one is requested for the user's region.
 */
public final class StateErasure {
  private StateErasure() {}

  /** Whether the user had state; false also when the state store has no tables yet. */
  public static boolean erase(Connection connection, StateStoreConfig config, String userKey) throws IOException {
    TableName name = new StateTables(config).users();
    try (Admin admin = connection.getAdmin()) {
      if (!admin.tableExists(name)) {
        return false;
      }
      byte[] row = new RowKeys(config.saltBuckets()).rowKey(userKey);
      // Batch cells are stamped with publish versions (1, 2, …), not times: a row delete at the clock's
      // time would also mask every cell a later publish writes for the user, until a compaction. So the
      // batch family is deleted up to the newest version given out so far, the speed family (server
      // times) up to now.
      long newest = new BatchView(connection, config).meta().publishes().stream()
          .mapToLong(ViewMeta.Publish::version).max().orElse(0);
      boolean existed;
      try (Table table = connection.getTable(name)) {
        existed = table.exists(new Get(row));
        table.delete(new Delete(row).addFamily(StateTables.BATCH, newest).addFamily(StateTables.SPEED));
      }
      try (var locator = connection.getRegionLocator(name)) {
        admin.majorCompactRegion(locator.getRegionLocation(row).getRegion().getRegionName());
      }
      return existed;
    }
  }
}
