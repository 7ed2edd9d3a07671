package dev.spoor.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The struct type of an event's {@code properties} as SQL predicates see them, derived from the JSON
 * Schemas in {@code conf/schemas} (the contract every accepted event was validated against): the
 * union of every schema's top-level properties, {@code integer} → BIGINT, {@code number} → DOUBLE,
 * {@code boolean} → BOOLEAN, strings, objects and arrays → STRING (objects and arrays as JSON text).
 * A name used with different types in different schemas widens to DOUBLE (numbers) or STRING. No
 * data is scanned, so a predicate naming a field that no schema declares fails at start-up.
 */
public final class PropertiesSchema {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PropertiesSchema() {}

  public static StructType fromSchemas(Path schemasDir) {
    Map<String, DataType> fields = new TreeMap<>();
    try (Stream<Path> files = Files.walk(schemasDir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        JsonNode schema = JSON.readTree(file.toFile());
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
          var field = it.next();
          fields.merge(field.getKey(), typeOf(field.getValue()), PropertiesSchema::widen);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the event schemas under " + schemasDir, e);
    }
    StructType struct = new StructType();
    for (var field : fields.entrySet()) {
      struct = struct.add(field.getKey(), field.getValue(), true);
    }
    return struct;
  }

  static DataType typeOf(JsonNode property) {
    JsonNode type = property.path("type");
    List<String> types = type.isArray()
        ? Stream.of(JSON.convertValue(type, String[].class)).filter(t -> !t.equals("null")).toList()
        : List.of(type.asText("string"));
    if (types.size() != 1) {
      return DataTypes.StringType;
    }
    return switch (types.get(0)) {
      case "integer" -> DataTypes.LongType;
      case "number" -> DataTypes.DoubleType;
      case "boolean" -> DataTypes.BooleanType;
      default -> DataTypes.StringType;
    };
  }

  static DataType widen(DataType a, DataType b) {
    if (a.equals(b)) {
      return a;
    }
    boolean numeric = (a.equals(DataTypes.LongType) || a.equals(DataTypes.DoubleType))
        && (b.equals(DataTypes.LongType) || b.equals(DataTypes.DoubleType));
    return numeric ? DataTypes.DoubleType : DataTypes.StringType;
  }
}
