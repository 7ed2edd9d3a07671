package dev.spoor.ingest.lander.landing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Names what is wrong with a suspect event's properties: given their JSON and the typed struct Spark
 * read from it strictly (a property that does not read as its declared type, NaN and Infinity
 * included, reads as null), one message per declared non-string property that is in the JSON but did
 * not read (a number that is not finite said so), or read as an infinite number (too large). The JSON
 * is read as leniently as Spark reads it (single quotes, NaN and Infinity), so whatever Spark read is
 * seen here too.
 */
final class PropertyProblems implements UDF2<String, Row, List<String>> {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // a number keeps its text, 1e999 included
      .build();
  /** What Spark reads as a non-finite double from a JSON string (JacksonParser). */
  private static final java.util.Set<String> NON_FINITE = java.util.Set.of("NaN", "Infinity", "+Infinity",
      "-Infinity", "INF", "+INF", "-INF");

  private final String[] names;
  private final String[] types;
  private final boolean[] doubles;

  /** {@code properties}: the declared properties, as the typed struct has them. */
  PropertyProblems(StructType properties) {
    StructField[] fields = properties.fields();
    names = new String[fields.length];
    types = new String[fields.length];
    doubles = new boolean[fields.length];
    for (int i = 0; i < fields.length; i++) {
      names[i] = fields[i].name();
      types[i] = fields[i].dataType().equals(DataTypes.StringType) ? null : fields[i].dataType().simpleString();
      doubles[i] = fields[i].dataType().equals(DataTypes.DoubleType);
    }
  }

  @Override
  public List<String> call(String json, Row typed) {
    List<String> problems = new ArrayList<>();
    JsonNode object;
    try {
      object = json == null ? null : JSON.readTree(json);
    } catch (IOException e) {
      return problems; // not JSON: nothing in it reads as a property
    }
    if (object == null || !object.isObject()) {
      return problems;
    }
    for (int i = 0; i < names.length; i++) {
      JsonNode raw = object.get(names[i]);
      if (types[i] == null || raw == null || raw.isNull()) {
        continue; // any JSON value reads as a string; an absent or null property is no problem
      }
      String text = raw.isTextual() ? raw.asText() : raw.toString();
      String shown = "properties." + names[i] + ": " + text.substring(0, Math.min(40, text.length()));
      Object value = typed.get(i); // the typed struct is the declared properties, in order, then the malformed text
      boolean nonFinite = doubles[i] && (raw.isNumber() ? !Double.isFinite(raw.doubleValue())
          : raw.isTextual() && NON_FINITE.contains(text));
      if (nonFinite) {
        problems.add(shown + " is not a finite number");
      } else if (value == null) {
        problems.add(shown + " is not a " + types[i] + " (as its schema declares)");
      }
    }
    return problems;
  }
}
