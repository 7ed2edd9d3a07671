package dev.spoor.state.erase;

import dev.spoor.state.config.StateStoreConfig;
import dev.spoor.state.table.StateTables;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableNotFoundException;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The erased ids, by HMAC, in the state store's meta table: one row ({@code erased}), one column per
 * id ({@code <kind>@<epoch millis>}). The speed layer's tasks read it with one get, as they read
 * everything else (they cannot read the lake's erasure log), and drop the events of erased users.
 * Written by {@code bin/spoor erase} right after the lake's log, before anything is deleted. Holds no
 * id: an HMAC, its kind ({@code user_id} or {@code domain_userid}), the time.
 */
public final class ErasedRegister {
  private static final byte[] ROW = Bytes.toBytes("erased");

  private ErasedRegister() {}

  /** One erased id. */
  public record Entry(String hmac, String kind, Instant at) {}

  /** Records the entries (the meta table must exist: {@code bin/spoor state init}). */
  public static void record(Connection connection, StateStoreConfig config, List<Entry> entries) throws IOException {
    Put put = new Put(ROW);
    for (Entry entry : entries) {
      put.addColumn(StateTables.META, Bytes.toBytes(entry.hmac()), Bytes.toBytes(entry.kind() + "@"
          + entry.at().toEpochMilli()));
    }
    try (Table meta = connection.getTable(new StateTables(config).meta())) {
      meta.put(put);
    }
  }

  /** Every erased id recorded (none when the state store has no tables yet). */
  public static List<Entry> all(Connection connection, StateStoreConfig config) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Result row;
    try (Table meta = connection.getTable(new StateTables(config).meta())) {
      row = meta.get(new Get(ROW).addFamily(StateTables.META));
    } catch (TableNotFoundException none) {
      return entries;
    }
    for (Cell cell : row.listCells() == null ? List.<Cell>of() : row.listCells()) {
      String value = Bytes.toString(CellUtil.cloneValue(cell));
      int at = value.lastIndexOf('@');
      entries.add(new Entry(Bytes.toString(CellUtil.cloneQualifier(cell)), value.substring(0, at),
          Instant.ofEpochMilli(Long.parseLong(value.substring(at + 1)))));
    }
    return entries;
  }
}
