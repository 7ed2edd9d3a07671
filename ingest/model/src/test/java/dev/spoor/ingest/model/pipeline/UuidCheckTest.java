package dev.spoor.ingest.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The event id check is a loop for speed; it must say exactly what the UUID regular expression says. */
class UuidCheckTest {
  private static final Pattern UUID_TEXT = Pattern.compile(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final String ALPHABET = "0123456789abcdefABCDEFgG-_ zé\u0000";

  @Test
  void agreesWithTheRegularExpressionOnGeneratedIds() {
    Random random = new Random(17);
    int valid = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder id = new StringBuilder(UUID.randomUUID().toString());
      for (int edits = random.nextInt(3); edits > 0; edits--) { // 0, 1 or 2 edits: replace, insert or delete
        int at = random.nextInt(id.length() + 1);
        char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        switch (random.nextInt(3)) {
          case 0 -> id.insert(at, c);
          case 1 -> id.deleteCharAt(Math.min(at, id.length() - 1));
          default -> id.setCharAt(Math.min(at, id.length() - 1), c);
        }
      }
      boolean expected = UUID_TEXT.matcher(id).matches();
      assertThat(EventProcessor.isUuid(id.toString())).as(id.toString()).isEqualTo(expected);
      valid += expected ? 1 : 0;
    }
    assertThat(valid).as("both kinds generated").isBetween(20_000, 180_000);
  }
}
