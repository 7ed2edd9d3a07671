package dev.spoor.ingest.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spoor.ingest.model.Fixtures;
import dev.spoor.ingest.model.enrich.UserAgentParser;
import dev.spoor.ingest.model.event.BadRow;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.ingest.model.event.FailureType;
import dev.spoor.ingest.model.event.Processed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds every event keeps, whatever route it came by (they live in {@link EventProcessor}). */
class FieldLimitsTest {
  private static final String CART = "iglu:com.acme/add_to_cart/jsonschema/1-0-0";

  private static ObjectNode cart(double price) {
    return JsonNodeFactory.instance.objectNode().put("sku", "a").put("price", price).put("quantity", 1);
  }

  private static RawEvent event(String name, String schema, String userId, String useragent, ObjectNode properties) {
    return new RawEvent("test", null, "shop", "web", name, schema, userId, null, null, null, null, null,
        Fixtures.COLLECTOR, null, null, useragent, null, properties, null, "t", JsonNodeFactory.instance.objectNode(), "raw");
  }

  @Test
  void aFieldLongerThanItsLimitIsASizeBadRowNamingItAndItsLength() {
    Processed processed = Fixtures.processor().process(event("add_to_cart", CART, "u".repeat(102_400), null, cart(1)));

    BadRow row = ((Processed.Bad) processed).badRow();
    assertThat(row.failureType()).isEqualTo(FailureType.SIZE);
    assertThat(row.errors()).containsExactly("user_id: 102400 characters, at most 255");
  }

  @Test
  void everyLimitedFieldIsCheckedAtItsLimitAndOneBeyond() {
    FieldLimits.LONGEST.forEach((field, longest) -> {
      List<String> errors = new ArrayList<>();
      FieldLimits.checkLength(field, "x".repeat(longest), errors);
      assertThat(errors).as(field + " at its limit").isEmpty();
      FieldLimits.checkLength(field, "x".repeat(longest + 1), errors);
      assertThat(errors).as(field + " beyond").containsExactly(field + ": " + (longest + 1) + " characters, at most " + longest);
    });
  }

  @Test
  void aLongUserAgentIsCutBeforeTheParserSeesItAndTheEventIsFlagged() {
    List<String> parsed = new ArrayList<>();
    UserAgentParser recording = ua -> {
      parsed.add(ua);
      return UserAgentParser.ParsedUserAgent.UNKNOWN;
    };
    EventProcessor processor = new EventProcessor(Fixtures.schemas(), Fixtures.enrichment(), recording);
    String agent = "Mozilla/5.0 " + "A".repeat(500 * 1024);

    Event event = ((Processed.Good) processor.process(event("add_to_cart", CART, "u-1", agent, cart(1)))).event();

    assertThat(parsed).singleElement().isEqualTo(agent.substring(0, FieldLimits.USER_AGENT));
    assertThat(event.useragent()).hasSize(FieldLimits.USER_AGENT);
    assertThat(event.qualityFlags()).contains("useragent_truncated");
  }

  @Test
  void aUserAgentIsNeverCutInsideASurrogatePair() {
    String agent = "a".repeat(FieldLimits.USER_AGENT - 1) + "😀" + "tail";
    assertThat(FieldLimits.truncatedUserAgent(agent)).isEqualTo("a".repeat(FieldLimits.USER_AGENT - 1));
  }

  @Test
  void numbersMustBeFiniteInPropertiesAndContexts() {
    ObjectNode infinite = cart(Double.POSITIVE_INFINITY);
    ObjectNode huge = JsonNodeFactory.instance.objectNode().put("sku", "a").put("quantity", 1)
        .put("price", new BigDecimal("1e999999999"));

    assertThat(((Processed.Bad) Fixtures.processor().process(event("add_to_cart", CART, "u-1", null, infinite))).badRow().errors())
        .contains("properties.price: not a finite number");
    assertThat(((Processed.Bad) Fixtures.processor().process(event("add_to_cart", CART, "u-1", null, huge))).badRow().errors())
        .contains("properties.price: not a finite number");
    assertThat(Fixtures.processor().process(event("add_to_cart", CART, "u-1", null, cart(Double.MAX_VALUE))))
        .isInstanceOf(Processed.Good.class);
  }

  @Test
  void theEventNameMustBeTheOneItsSchemaNames() {
    BadRow row = ((Processed.Bad) Fixtures.processor().process(event("purchase", CART, "u-1", null, cart(1)))).badRow();

    assertThat(row.errors()).containsExactly(
        "event_name: 'purchase' is not the event of schema " + CART + " (add_to_cart)");
  }
}
