package dev.spoor.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Statistics on numbers, dates, times and the strings a table names safe; never on an id or a payload. */
class TableStatisticsTest {
  @Test
  void stringsAreLeftOutUnlessNamedSafeAndPartitionsAlways() {
    StructType sessions = new StructType()
        .add("user_key", DataTypes.StringType)
        .add("session_start", DataTypes.TimestampType)
        .add("events", DataTypes.LongType)
        .add("entry_page", DataTypes.StringType)
        .add("revenue", DataTypes.createDecimalType(12, 2))
        .add("names", DataTypes.createArrayType(DataTypes.StringType))
        .add("session_date", DataTypes.DateType)
        .add("event_name", DataTypes.StringType);

    assertThat(TableStatistics.columns(sessions, Set.of("event_name"), Optional.of("session_date")))
        .isEqualTo("session_start,events,revenue,event_name");
    assertThat(TableStatistics.columns(sessions, Set.of(), Optional.empty()))
        .isEqualTo("session_start,events,revenue,session_date");
  }

  @Test
  void badRowsKeepNoStatisticsOfTheirPayload() {
    String columns = TableStatistics.columns(LakeTables.BAD_EVENTS_TABLE, LakeTables.BAD_EVENTS_SAFE_STRINGS,
        Optional.of("arrival_date"));
    assertThat(columns.split(",")).contains("failure_type", "collector_tstamp")
        .doesNotContain("payload", "errors", "payload_sha256", "event_id", "arrival_date");
  }
}
