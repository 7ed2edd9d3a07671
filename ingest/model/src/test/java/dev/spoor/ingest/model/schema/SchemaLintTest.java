package dev.spoor.ingest.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaLintTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaKey KEY = new SchemaKey("com.acme", "checkout", "jsonschema", "1-0-0");

  @TempDir
  Path dir;

  /** A valid schema of {@code key} with a few random properties, each with consistent bounds. */
  private static ObjectNode valid(Random random, SchemaKey key) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("$schema", SchemaLint.SELF_DESCRIBING);
    schema.putObject("self").put("vendor", key.vendor()).put("name", key.name()).put("format", key.format())
        .put("version", key.version());
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = JSON.createArrayNode();
    int count = 1 + random.nextInt(6);
    for (int i = 0; i < count; i++) {
      String name = "field_" + i;
      ObjectNode property = properties.putObject(name);
      switch (random.nextInt(4)) {
        case 0 -> property.put("type", "string").put("minLength", random.nextInt(3)).put("maxLength", 3 + random.nextInt(500));
        case 1 -> property.put("type", "integer").put("minimum", -random.nextInt(100)).put("maximum", random.nextInt(1_000_000));
        case 2 -> property.put("type", "array").put("maxItems", 1 + random.nextInt(20)).putObject("items").put("type", "string");
        default -> property.putArray("type").add("number").add("null");
      }
      if (random.nextBoolean()) {
        required.add(name);
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  private record Defect(String expected, BiFunction<ObjectNode, Random, String> apply) {}

  /** Each way a schema can be broken, and the words its problem must contain. */
  private static final List<Defect> DEFECTS = List.of(
      new Defect("not JSON", (s, r) -> {
        String text = s.toString();
        return text.substring(0, 1 + r.nextInt(text.length() - 2)); // cut short anywhere
      }),
      new Defect("not a JSON object", (s, r) -> "[" + s + "]"),
      new Defect("$schema must be", (s, r) -> {
        s.remove("$schema");
        return s.toString();
      }),
      new Defect("self says iglu:com.acme/checkout/jsonschema/1-0-1", (s, r) -> {
        ((ObjectNode) s.get("self")).put("version", "1-0-1");
        return s.toString();
      }),
      new Defect("self says iglu:com.other/", (s, r) -> {
        ((ObjectNode) s.get("self")).put("vendor", "com.other");
        return s.toString();
      }),
      new Defect("not a valid draft 4 JSON Schema", (s, r) -> {
        ((ObjectNode) s.get("properties").get("field_0")).put("type", "strin" + r.nextInt(10));
        return s.toString();
      }),
      new Defect("not a valid draft 4 JSON Schema", (s, r) -> {
        ((ObjectNode) s.get("properties").get("field_0")).put("maxLength", -1 - r.nextInt(5));
        return s.toString();
      }),
      new Defect("the root must be of type object", (s, r) -> {
        s.put("type", "array");
        return s.toString();
      }),
      new Defect("is above", (s, r) -> {
        ObjectNode property = s.withObject("/properties").putObject("bounded_" + r.nextInt(5));
        property.put("type", "integer").put("minimum", 10 + r.nextInt(10)).put("maximum", r.nextInt(10));
        return s.toString();
      }),
      new Defect("which no property defines", (s, r) -> {
        s.withArray("/required").add("ghost_" + r.nextInt(100));
        return s.toString();
      }));

  @Test
  void theShippedSchemasAreClean() throws Exception {
    Path shipped = Path.of("../../conf/schemas");
    assertThat(shipped).isDirectory();
    assertThat(SchemaLint.lint(shipped)).isEmpty();
  }

  @Test
  void everyGeneratedDefectIsReportedWithItsReasonAndAValidSchemaNever() {
    Random random = new Random(20);
    for (int i = 0; i < 2_000; i++) {
      ObjectNode schema = valid(random, KEY);
      assertThat(SchemaLint.file("com.acme/checkout/jsonschema/1-0-0", schema.toString(), KEY))
          .as("valid: %s", schema).isEmpty();
      Defect defect = DEFECTS.get(random.nextInt(DEFECTS.size()));
      String broken = defect.apply().apply(schema, random);
      List<SchemaLint.Problem> problems = SchemaLint.file("com.acme/checkout/jsonschema/1-0-0", broken, KEY);
      assertThat(problems).as("%s", broken).isNotEmpty()
          .allSatisfy(p -> assertThat(p.file()).isEqualTo("com.acme/checkout/jsonschema/1-0-0"))
          .anySatisfy(p -> assertThat(p.reason()).contains(defect.expected()));
    }
  }

  private void write(String path, ObjectNode schema) throws Exception {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, schema.toPrettyString());
  }

  @Test
  void versionsMustFollowOneAnotherAndFilesMustBeLaidOutAsIglu() throws Exception {
    Random random = new Random(3);
    for (String version : List.of("1-0-1", "1-0-2", "1-1-0", "2-0-0")) { // starting after 1-0-0 is allowed
      write("com.acme/cart/jsonschema/" + version, valid(random, new SchemaKey("com.acme", "cart", "jsonschema", version)));
    }
    for (String version : List.of("1-0-0", "1-0-2", "1-2-0")) {
      write("com.acme/order/jsonschema/" + version, valid(random, new SchemaKey("com.acme", "order", "jsonschema", version)));
    }
    write("com.acme/order/1-0-0", valid(random, KEY));
    write("com.acme/order/jsonschema/README.md", valid(random, KEY)); // documentation is skipped

    assertThat(SchemaLint.lint(dir)).extracting(SchemaLint.Problem::toString).containsExactly(
        "com.acme/order/1-0-0: not laid out as VENDOR/NAME/jsonschema/MODEL-REVISION-ADDITION",
        "com.acme/order/jsonschema/1-0-2: version 1-0-2 follows 1-0-0 with versions missing in between"
            + " (after 1-0-0 comes 1-0-1, 1-1-0 or 2-0-0)",
        "com.acme/order/jsonschema/1-2-0: version 1-2-0 follows 1-0-2 with versions missing in between"
            + " (after 1-0-2 comes 1-0-3, 1-1-0 or 2-0-0)");
  }
}
