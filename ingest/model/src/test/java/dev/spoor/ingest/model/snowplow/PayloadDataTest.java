package dev.spoor.ingest.model.snowplow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadDataTest {
  private static PayloadData.Envelope parse(String body) {
    return PayloadData.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachElementOfDataIsOneEventsParameters() {
    PayloadData.Envelope envelope = parse("{\"schema\":\"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4\","
        + "\"data\":[{\"e\":\"pv\",\"url\":\"/a\"},{\"e\":\"se\",\"se_va\":3}]}");

    assertThat(envelope.error()).isNull();
    assertThat(envelope.elements()).hasSize(2);
    assertThat(envelope.elements().get(0).params()).containsEntry("e", "pv").containsEntry("url", "/a");
    assertThat(envelope.elements().get(1).params()).containsEntry("se_va", "3");
  }

  @Test
  void envelopeProblemsRejectTheWholeBody() {
    assertThat(parse("{\"data\": [").error()).startsWith("body: malformed JSON");
    assertThat(parse("[]").error()).startsWith("body: expected a payload_data object");
    assertThat(parse("{\"schema\":\"iglu:x/y/jsonschema/1-0-0\",\"data\":[]}").error()).startsWith("schema: expected");
    assertThat(parse("{\"data\": {}}").error()).isEqualTo("data: missing or not an array of events");
    assertThat(PayloadData.parse(new byte[] {'{', (byte) 0xFF, '}'}).error()).isEqualTo("body: not valid UTF-8");
    assertThat(parse("").error()).isEqualTo("body: empty");
  }

  @Test
  void aBadElementIsReportedWithoutRejectingItsNeighbours() {
    PayloadData.Envelope envelope = parse("{\"data\":[{\"e\":\"pv\"}, 42, {\"e\":{\"nested\":1}}]}");

    assertThat(envelope.error()).isNull();
    assertThat(envelope.elements().get(0).error()).isNull();
    assertThat(envelope.elements().get(1).error()).isEqualTo("data[1]: not an object of tracker parameters");
    assertThat(envelope.elements().get(2).error()).isEqualTo("data[2].e: expected a string, got object");
  }
}
