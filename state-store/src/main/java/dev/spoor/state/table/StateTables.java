package dev.spoor.state.table;

import dev.spoor.state.Retry;
import dev.spoor.state.config.StateStoreConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceNotFoundException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.apache.hadoop.hbase.regionserver.BloomType;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The state store's HBase tables, designed here and created or upgraded by {@link #init}:
 * <ul>
 *   <li><b>user state</b> ({@code <namespace>:<user-table>}): row key = salt byte + user key
 *       ({@link RowKeys}), pre-split into one region per salt bucket. Column family {@code b}, the
 *       batch view: one cell {@code b:doc} per user holding the user's state as JSON (score, reason
 *       codes, segments, features, funnel levels), its timestamp the publish version that wrote it; an
 *       empty {@code doc} is a tombstone (the user left the view). It keeps {@code versions-kept}
 *       versions, so a rollback can go that many publishes back. Column family {@code s} is reserved
 *       for the speed layer (one cell per event id, one version, a 14-day TTL: a safety net far beyond the
 *       daily publish that covers the cells). GZ compression and row blooms on both.
 *   <li><b>meta</b> ({@code <namespace>:<meta-table>}): per view, the committed version (the one
 *       readers read), and one row per publish with its run id, status and the lake position it
 *       covers. Moving the committed version is a single-row check-and-put: atomic.
 * </ul>
 */
public final class StateTables {
  public static final byte[] BATCH = Bytes.toBytes("b");
  public static final byte[] SPEED = Bytes.toBytes("s");
  public static final byte[] DOC = Bytes.toBytes("doc");
  public static final byte[] META = Bytes.toBytes("m");
  /** How long speed-view cells live: a safety net for a late batch, far beyond the daily publish. */
  public static final int SPEED_TTL_SECONDS = 14 * 24 * 3600;

  private final StateStoreConfig config;

  public StateTables(StateStoreConfig config) {
    this.config = config;
  }

  public TableName users() {
    return TableName.valueOf(config.namespace(), config.userTable());
  }

  public TableName meta() {
    return TableName.valueOf(config.namespace(), config.metaTable());
  }

  TableDescriptor userDescriptor() {
    return TableDescriptorBuilder.newBuilder(users())
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(BATCH)
            .setMaxVersions(config.versionsKept())
            .setCompressionType(Compression.Algorithm.GZ)
            .setBloomFilterType(BloomType.ROW)
            .build())
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(SPEED)
            .setMaxVersions(1)
            .setTimeToLive(SPEED_TTL_SECONDS)
            .setCompressionType(Compression.Algorithm.GZ)
            .setBloomFilterType(BloomType.ROW)
            .build())
        .build();
  }

  TableDescriptor metaDescriptor() {
    return TableDescriptorBuilder.newBuilder(meta())
        .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(META).setMaxVersions(1).build())
        .build();
  }

  /**
   * Creates the namespace and tables that are missing and brings existing column families to the
   * designed settings. Idempotent, and so retried whole by the state store's {@link Retry} policy
   * while the master cannot answer (e.g. reassigning {@code hbase:meta} after a region server died);
   * returns what it did, one line per change.
   */
  public List<String> init(Admin admin) {
    return new Retry(config).call("creating or upgrading the state tables", () -> {
      List<String> done = new ArrayList<>();
      try {
        admin.getNamespaceDescriptor(config.namespace());
      } catch (NamespaceNotFoundException e) {
        admin.createNamespace(NamespaceDescriptor.create(config.namespace()).build());
        done.add("created namespace " + config.namespace());
      }
      ensure(admin, userDescriptor(), new RowKeys(config.saltBuckets()).splitKeys(), done);
      ensure(admin, metaDescriptor(), null, done);
      return done;
    });
  }

  private static void ensure(Admin admin, TableDescriptor wanted, byte[][] splits, List<String> done) throws IOException {
    TableName name = wanted.getTableName();
    if (!admin.tableExists(name)) {
      if (splits == null || splits.length == 0) {
        admin.createTable(wanted);
      } else {
        admin.createTable(wanted, splits);
      }
      done.add("created " + name + (splits == null ? "" : " (" + (splits.length + 1) + " regions)"));
      return;
    }
    TableDescriptor current = admin.getDescriptor(name);
    for (ColumnFamilyDescriptor family : wanted.getColumnFamilies()) {
      ColumnFamilyDescriptor existing = current.getColumnFamily(family.getName());
      if (existing == null) {
        admin.addColumnFamily(name, family);
        done.add("added column family " + family.getNameAsString() + " to " + name);
      } else if (existing.getMaxVersions() != family.getMaxVersions()
          || existing.getCompressionType() != family.getCompressionType()
          || existing.getTimeToLive() != family.getTimeToLive()
          || existing.getBloomFilterType() != family.getBloomFilterType()) {
        admin.modifyColumnFamily(name, family);
        done.add("upgraded column family " + family.getNameAsString() + " of " + name);
      }
    }
  }
}
