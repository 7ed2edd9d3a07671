package dev.spoor.batch.erase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Searches the bytes Spoor keeps for a string, the way an auditor would: every file under a directory
 * as bytes (JSON logs, checksums, checkpoints, Parquet footers with their statistics), Parquet files
 * also decoded record by record (a compressed page hides its strings from a byte search), and every
 * cell of an HBase namespace at every version after a flush and a major compaction.
 */
final class Leftovers {
  private Leftovers() {}

  /**
   * What to search for each id: the id, its URL-encoded form, and the three base64 forms of its middle
   * (base64 of a longer text holds one of them, whatever the id's offset in it).
   */
  static List<String> forms(String... ids) {
    List<String> forms = new ArrayList<>();
    for (String id : ids) {
      forms.add(id);
      String encoded = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8);
      if (!encoded.equals(id)) {
        forms.add(encoded);
      }
      for (int offset = 0; offset < 3; offset++) {
        String base64 = java.util.Base64.getEncoder().encodeToString(("xx".substring(0, offset) + id)
            .getBytes(StandardCharsets.UTF_8));
        // Drop the characters the padding or the unknown neighbours change: 4 at each end are safe.
        forms.add(base64.substring(4, base64.length() - 4));
      }
    }
    return forms;
  }

  /** The files under {@code root} holding any of {@code needles}, each with how it was found. */
  static List<String> inFiles(Path root, List<String> needles) throws IOException {
    List<String> found = new ArrayList<>();
    if (!Files.exists(root)) {
      return found;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String needle : needles) {
          if (bytes.contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
            found.add(root.relativize(file) + " (bytes: " + needle + ")");
          }
        }
        if (file.getFileName().toString().endsWith(".parquet")) {
          String decoded = decoded(file);
          for (String needle : needles) {
            if (decoded.contains(needle)) {
              found.add(root.relativize(file) + " (decoded: " + needle + ")");
            }
          }
        }
      }
    }
    return found;
  }

  private static String decoded(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
        new org.apache.hadoop.fs.Path(file.toUri())).withConf(new Configuration()).build()) {
      for (Group record = reader.read(); record != null; record = reader.read()) {
        text.append(record).append('\n');
      }
    }
    return text.toString();
  }

  /**
   * The cells of every table of {@code namespace} holding any of {@code needles} in row, qualifier or
   * value, at any version, delete markers included, after every table is flushed and major-compacted.
   */
  static List<String> inHBase(Connection connection, String namespace, List<String> needles) throws Exception {
    List<String> found = new ArrayList<>();
    try (Admin admin = connection.getAdmin()) {
      for (TableName name : admin.listTableNamesByNamespace(namespace)) {
        compact(admin, connection, name);
        try (Table table = connection.getTable(name);
            ResultScanner scanner = table.getScanner(new Scan().setRaw(true).readAllVersions())) {
          for (Result result : scanner) {
            for (Cell cell : result.rawCells()) {
              String text = new String(CellUtil.cloneRow(cell), StandardCharsets.ISO_8859_1) + "|"
                  + new String(CellUtil.cloneQualifier(cell), StandardCharsets.ISO_8859_1) + "|"
                  + new String(CellUtil.cloneValue(cell), StandardCharsets.ISO_8859_1);
              for (String needle : needles) {
                if (text.contains(new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                  found.add(name + " " + cell);
                }
              }
            }
          }
        }
      }
    }
    return found;
  }

  /**
   * Flushes the table, requests a major compaction, and waits (up to 2 minutes) until it has happened:
   * until no delete marker is left (a major compaction drops them with the cells they mask).
   */
  private static void compact(Admin admin, Connection connection, TableName name) throws Exception {
    admin.flush(name);
    admin.majorCompact(name);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (hasDeleteMarkers(connection, name)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("delete markers left in " + name + " 2 minutes after a major compaction was requested");
      }
      Thread.sleep(200); // polling a condition, with a deadline
    }
  }

  private static boolean hasDeleteMarkers(Connection connection, TableName name) throws IOException {
    try (Table table = connection.getTable(name);
        ResultScanner scanner = table.getScanner(new Scan().setRaw(true).readAllVersions())) {
      for (Result result : scanner) {
        for (Cell cell : result.rawCells()) {
          if (CellUtil.isDelete(cell)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
