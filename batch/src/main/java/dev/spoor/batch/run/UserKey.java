package dev.spoor.batch.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;

/**
 * Who an event belongs to in the batch layer: its {@code user_id} (set by the site after login), else
 * its {@code domain_userid} (the tracker's first-party cookie id). Every per-user table carries it as
 * {@code user_key}.
 */
public final class UserKey {
  public static final String COLUMN = "user_key";

  private UserKey() {}

  /** The user key of an event row. */
  public static Column ofEvent() {
    return coalesce(col("user_id"), col("domain_userid"));
  }

  /** The user key of a row of {@code table}: computed for event tables, a column everywhere else. */
  public static Column of(String table) {
    return table.startsWith("events") ? ofEvent() : col(COLUMN);
  }
}
