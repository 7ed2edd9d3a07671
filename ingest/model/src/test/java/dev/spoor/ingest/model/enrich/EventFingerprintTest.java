package dev.spoor.ingest.model.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFingerprintTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventFingerprint fingerprint = new EventFingerprint(Set.of("eid", "stm"));

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  @Test
  void fieldOrderDoesNotMatterAtAnyLevel() throws Exception {
    String a = fingerprint.of(json("{\"e\":\"ue\",\"aid\":\"shop\",\"data\":{\"sku\":\"a\",\"price\":1}}"));
    String b = fingerprint.of(json("{\"data\":{\"price\":1,\"sku\":\"a\"},\"aid\":\"shop\",\"e\":\"ue\"}"));

    assertThat(a).isEqualTo(b).hasSize(32).matches("[0-9a-f]{32}");
  }

  @Test
  void excludedFieldsDoNotMatterButEveryOtherFieldDoes() throws Exception {
    String base = fingerprint.of(json("{\"e\":\"pv\",\"eid\":\"1\",\"stm\":\"100\",\"url\":\"/a\"}"));
    String retried = fingerprint.of(json("{\"e\":\"pv\",\"eid\":\"2\",\"stm\":\"200\",\"url\":\"/a\"}"));
    String other = fingerprint.of(json("{\"e\":\"pv\",\"eid\":\"1\",\"stm\":\"100\",\"url\":\"/b\"}"));

    assertThat(retried).isEqualTo(base);
    assertThat(other).isNotEqualTo(base);
  }

  @Test
  void arrayOrderMattersAndTypesAreDistinguished() throws Exception {
    assertThat(fingerprint.of(json("{\"items\":[1,2]}"))).isNotEqualTo(fingerprint.of(json("{\"items\":[2,1]}")));
    assertThat(fingerprint.of(json("{\"v\":1}"))).isNotEqualTo(fingerprint.of(json("{\"v\":\"1\"}")));
  }

  @Test
  void quotesInValuesCannotForgeAnotherStructure() throws Exception {
    String forged = fingerprint.of(json("{\"a\":\"x\\\",\\\"b\\\":\\\"y\"}"));
    String real = fingerprint.of(json("{\"a\":\"x\",\"b\":\"y\"}"));

    assertThat(forged).isNotEqualTo(real);
  }
}
