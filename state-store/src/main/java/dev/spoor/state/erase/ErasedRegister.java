package dev.spoor.state.erase;

import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.StateTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The erased ids, by HMAC, in the state store's meta table (rows {@code erased/<hmac>}): the speed
 * layer's tasks read them from here (they cannot read the lake's erasure log) and drop the events of
 * erased users. Written by {@code bin/spoor erase} right after the lake's log, before anything is
 * deleted. Holds no id: an HMAC, its kind ({@code user_id} or {@code domain_userid}), the time.
 */
public final class ErasedRegister {
  private static final String PREFIX = "erased/";
  private static final byte[] KIND = Bytes.toBytes("kind");
  private static final byte[] AT = Bytes.toBytes("at");

  private ErasedRegister() {}

  /** One erased id. */
  public record Entry(String hmac, String kind, Instant at) {}

  /** Records the entries (the meta table must exist: {@code bin/spoor state init}). */
  public static void record(Connection connection, StateStoreConfig config, List<Entry> entries) throws IOException {
    List<Put> puts = new ArrayList<>();
    for (Entry entry : entries) {
      puts.add(new Put(Bytes.toBytes(PREFIX + entry.hmac()))
          .addColumn(StateTables.META, KIND, Bytes.toBytes(entry.kind()))
          .addColumn(StateTables.META, AT, Bytes.toBytes(entry.at().toEpochMilli())));
    }
    try (Table meta = connection.getTable(new StateTables(config).meta())) {
      meta.put(puts);
    }
  }

  /** Every erased id recorded (none when the state store has no tables yet). */
  public static List<Entry> all(Connection connection, StateStoreConfig config) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Admin admin = connection.getAdmin()) {
      if (!admin.tableExists(new StateTables(config).meta())) {
        return entries;
      }
    }
    try (Table meta = connection.getTable(new StateTables(config).meta());
        ResultScanner scanner = meta.getScanner(new Scan().setStartStopRowForPrefixScan(Bytes.toBytes(PREFIX)))) {
      for (Result row : scanner) {
        entries.add(new Entry(new String(row.getRow(), StandardCharsets.UTF_8).substring(PREFIX.length()),
            Bytes.toString(row.getValue(StateTables.META, KIND)),
            Instant.ofEpochMilli(Bytes.toLong(row.getValue(StateTables.META, AT)))));
      }
    }
    return entries;
  }
}
