package dev.spoor.ingest.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteKeysTest {
  private static String redacted(String body) {
    return new String(WriteKeys.redacted(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  @Test
  void aKeyFindsItsAppAndNothingElseDoes() {
    WriteKeys keys = new WriteKeys(Map.of("wk_shop_2026_a", "shop", "wk_blog_2026_a", "blog"));

    assertThat(keys.app("wk_shop_2026_a")).isEqualTo("shop");
    assertThat(keys.app("wk_blog_2026_a")).isEqualTo("blog");
    assertThat(keys.app("wk_shop_2026_")).isNull();
    assertThat(keys.app("wk_shop_2026_ab")).isNull();
    assertThat(keys.app(null)).isNull();
  }

  @Test
  void writeKeysInABodyAreRedactedWhateverTheirSpacingAndEscapes() {
    assertThat(redacted("{\"write_key\":\"wk_secret\",\"events\":[]}")).isEqualTo("{\"write_key\":\"[redacted]\",\"events\":[]}");
    assertThat(redacted("{ \"write_key\" :  \"wk_\\\"quoted\\\\\" , \"x\":1}")).isEqualTo("{ \"write_key\" :  \"[redacted]\" , \"x\":1}");
    assertThat(redacted("[{\"write_key\":\"a\"},{\"write_key\":\"b\"}]")).isEqualTo("[{\"write_key\":\"[redacted]\"},{\"write_key\":\"[redacted]\"}]");
    assertThat(redacted("{\"write_key\":\"unterminated")).isEqualTo("{\"write_key\":\"[redacted]");
    assertThat(redacted("{\"write_key\": 42}")).isEqualTo("{\"write_key\": 42}");
    assertThat(redacted("{\"events\":[]}")).isEqualTo("{\"events\":[]}");
  }

  @Test
  void aMegabyteOfEscapesIsRedactedInOnePass() {
    String body = "{\"write_key\":\"" + "\\\\".repeat(500_000) + "\"}";
    assertThat(redacted(body)).isEqualTo("{\"write_key\":\"[redacted]\"}");
  }
}
