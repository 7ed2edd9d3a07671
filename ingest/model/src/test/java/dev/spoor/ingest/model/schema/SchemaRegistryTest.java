package dev.spoor.ingest.model.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.ingest.model.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TEST_SCHEMAS = Path.of("src/test/resources/schemas");
  private final SchemaRegistry registry = SchemaRegistry.load(TEST_SCHEMAS);

  private static SchemaKey key(String uri) {
    return SchemaKey.parse(uri).orElseThrow();
  }

  @Test
  void severalVersionsOfOneSchemaLiveSideBySide() throws Exception {
    var data = JSON.readTree("{\"price\": 9.5}");

    assertThat(registry.validate(key("iglu:com.test/thing/jsonschema/1-0-0"), data, "properties")).isEmpty();
    assertThat(registry.validate(key("iglu:com.test/thing/jsonschema/2-0-0"), data, "properties"))
        .singleElement().asString().startsWith("properties.price: ").contains("string");
  }

  @Test
  void violationsNameTheFieldAndTheSchema() throws Exception {
    var data = JSON.readTree("{\"price\": \"cheap\", \"colour\": \"red\"}");

    assertThat(registry.validate(key("iglu:com.test/thing/jsonschema/1-0-0"), data, "properties"))
        .hasSize(2)
        .anySatisfy(e -> assertThat(e).startsWith("properties.price: ").contains("number"))
        .anySatisfy(e -> assertThat(e).contains("colour"))
        .allSatisfy(e -> assertThat(e).endsWith("(schema iglu:com.test/thing/jsonschema/1-0-0)"));
  }

  @Test
  void aMissingRequiredFieldIsNamed() throws Exception {
    assertThat(registry.validate(key("iglu:com.test/thing/jsonschema/1-0-0"), JSON.readTree("{}"), "properties"))
        .singleElement().asString().contains("price");
  }

  @Test
  void anUnknownSchemaIsOneViolation() throws Exception {
    assertThat(registry.validate(key("iglu:com.test/nothing/jsonschema/1-0-0"), JSON.readTree("{}"), "properties"))
        .containsExactly("properties: unknown schema iglu:com.test/nothing/jsonschema/1-0-0 (not under conf/schemas)");
  }

  @Test
  void aFileWhoseSelfDisagreesWithItsPathStopsStartUp() {
    assertThatThrownBy(() -> SchemaRegistry.load(Path.of("src/test/resources/bad-self")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("declares self iglu:com.test/other/jsonschema/1-0-0")
        .hasMessageContaining("its path says iglu:com.test/thing/jsonschema/1-0-0");
  }

  @Test
  void everyShippedSchemaCompiles() {
    assertThat(Fixtures.schemas().keys()).extracting(SchemaKey::toUri).contains(
        "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
        "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
        "iglu:com.snowplowanalytics.snowplow/client_session/jsonschema/1-0-2",
        "iglu:com.snowplowanalytics.snowplow/mobile_context/jsonschema/1-0-2",
        "iglu:com.acme/add_to_cart/jsonschema/1-0-0",
        "iglu:com.acme/add_to_cart/jsonschema/1-1-0");
  }

  @Test
  void schemaKeysParseOnlyWellFormedIgluUris() {
    assertThat(SchemaKey.parse("iglu:com.acme/add_to_cart/jsonschema/1-0-0"))
        .contains(new SchemaKey("com.acme", "add_to_cart", "jsonschema", "1-0-0"));
    assertThat(SchemaKey.parse("iglu:com.acme/add_to_cart/jsonschema/1-0")).isEmpty();
    assertThat(SchemaKey.parse("iglu:com.acme/../jsonschema/1-0-0")).isEmpty();
    assertThat(SchemaKey.parse("http://example.com/schema")).isEmpty();
    assertThat(SchemaKey.parse(null)).isEmpty();
  }
}
