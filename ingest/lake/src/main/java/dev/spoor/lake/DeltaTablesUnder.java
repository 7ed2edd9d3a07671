package dev.spoor.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The Delta tables directly under a root (the lake's, the archive's), on any Hadoop file system. */
public final class DeltaTablesUnder {
  private DeltaTablesUnder() {}

  /** The names of the directories under {@code root} that hold a {@code _delta_log}; none if it does not exist. */
  public static List<String> names(SparkSession spark, String root) {
    List<String> tables = new ArrayList<>();
    try {
      Path path = new Path(root);
      FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(path)) {
        return tables;
      }
      for (FileStatus dir : fs.listStatus(path)) {
        if (dir.isDirectory() && fs.exists(new Path(dir.getPath(), "_delta_log"))) {
          tables.add(dir.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the tables under " + root, e);
    }
    return tables;
  }
}
