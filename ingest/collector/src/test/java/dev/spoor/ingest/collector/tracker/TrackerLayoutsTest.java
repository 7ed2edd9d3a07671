package dev.spoor.ingest.collector.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spoor.ingest.collector.config.CollectorConfig;
import dev.spoor.ingest.model.compact.CompactLayouts;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import dev.spoor.stack.testing.TestStackConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What spoor.js sends by itself is laid out as the collector expects: every built-in layout of the
 * tracker (ingest/tracker-js/src/layouts.json) is a compact layout of conf/spoor.conf with the same
 * fields in the same order, and its schema is shipped (the layout loads against conf/schemas).
 */
class TrackerLayoutsTest {
  @Test
  void theTrackersBuiltInLayoutsAreTheCollectorsLayouts() throws Exception {
    Path home = TestStackConfig.home();
    Map<String, List<String>> tracker = new ObjectMapper().readValue(
        home.resolve("ingest/tracker-js/src/layouts.json").toFile(), new TypeReference<>() {});
    CollectorConfig config = CollectorConfig.from(TestStackConfig.config());
    CompactLayouts layouts = config.layouts(SchemaRegistry.load(config.enrichment().schemasDir()));

    assertThat(tracker).containsKeys("page_view", "page_ping", "element_click", "form_submit", "js_error", "mouse_move");
    tracker.forEach((name, fields) -> {
      CompactLayouts.Layout layout = layouts.forEvent(name).orElseThrow(() -> new AssertionError("no layout " + name));
      assertThat(layout.fields()).as(name).containsExactlyElementsOf(fields);
    });
  }
}
