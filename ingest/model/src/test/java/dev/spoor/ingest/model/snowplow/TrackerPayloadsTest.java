package dev.spoor.ingest.model.snowplow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.ingest.model.Fixtures;
import dev.spoor.ingest.model.event.Processed;
import dev.spoor.ingest.model.pipeline.ParsedEvent;
import dev.spoor.ingest.model.schema.SchemaKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every schema {@code conf/schemas} ships, with a payload of the shape the tracker feature that emits
 * it sends ({@code tracker-payloads.json}): as a self-describing event ({@code ue_px}, base64, as the
 * JavaScript tracker sends it) or as a context of a page view ({@code cx}). Each is a good event; the
 * same payload with a property its schema does not define is a bad row naming that schema, so every
 * schema is proven to be the one validating it.
 */
class TrackerPayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode payloads() throws Exception {
    try (InputStream in = TrackerPayloadsTest.class.getResourceAsStream("/tracker-payloads.json")) {
      return JSON.readTree(in);
    }
  }

  private static String b64(JsonNode json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Processed process(String schema, String as, JsonNode data) {
    ObjectNode inner = JSON.createObjectNode().put("schema", schema).set("data", data);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("eid", "c6ef3124-b53a-4b13-a233-0088f79dcbcb");
    params.put("aid", "shop");
    params.put("p", "web");
    params.put("tv", "js-4.1.0");
    params.put("dtm", "1763639990000");
    if (as.equals("event")) {
      params.put("e", "ue");
      params.put("ue_px", b64(JSON.createObjectNode()
          .put("schema", "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0").set("data", inner)));
    } else {
      params.put("e", "pv");
      params.put("url", "https://shop.example/");
      params.put("cx", b64(JSON.createObjectNode()
          .put("schema", "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1")
          .set("data", JSON.createArrayNode().add(inner))));
    }
    ParsedEvent parsed = TrackerProtocol.parse(params, Fixtures.REQUEST, "raw");
    assertThat(parsed).as(schema).isInstanceOf(ParsedEvent.Ok.class);
    return Fixtures.processor().process(((ParsedEvent.Ok) parsed).event());
  }

  @Test
  void everyShippedSchemaHasATrackerPayload() throws Exception {
    TreeSet<String> shipped = new TreeSet<>();
    Fixtures.schemas().keys().forEach(key -> shipped.add(key.toUri()));
    TreeSet<String> covered = new TreeSet<>();
    payloads().fieldNames().forEachRemaining(covered::add);
    assertThat(covered).isEqualTo(shipped);
  }

  @Test
  void eachTrackerPayloadIsAGoodEventAndBreaksOnAPropertyItsSchemaLacks() throws Exception {
    JsonNode payloads = payloads();
    SoftAssertions.assertSoftly(softly -> check(payloads, softly));
  }

  private static void check(JsonNode payloads, SoftAssertions softly) {
    for (Iterator<Map.Entry<String, JsonNode>> it = payloads.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String schema = entry.getKey();
      String as = entry.getValue().path("as").asText();
      JsonNode data = entry.getValue().path("data");

      Processed good = process(schema, as, data);
      if (!(good instanceof Processed.Good accepted)) {
        softly.fail("%s as %s: %s", schema, as, good);
        continue;
      }
      if (as.equals("event")) {
        softly.assertThat(accepted.event().eventName()).isEqualTo(SchemaKey.parse(schema).orElseThrow().name());
        softly.assertThat(accepted.event().schema()).isEqualTo(schema);
        softly.assertThat(parse(accepted.event().properties())).as(schema).isEqualTo(data);
      } else {
        softly.assertThat(accepted.event().contexts()).contains(schema);
      }

      ObjectNode extended = data.deepCopy();
      extended.put("spoor_not_in_the_schema", 1);
      Processed bad = process(schema, as, extended);
      if (!(bad instanceof Processed.Bad rejected)) {
        softly.fail("%s with a property it does not define was accepted", schema);
        continue;
      }
      List<String> errors = rejected.badRow().errors();
      softly.assertThat(errors).as(schema).anySatisfy(e -> assertThat(e).contains(schema).contains("spoor_not_in_the_schema"));
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
