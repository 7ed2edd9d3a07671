package dev.spoor.ingest.model.compact;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import dev.spoor.config.InvalidConfigException;
import dev.spoor.ingest.model.schema.SchemaKey;
import dev.spoor.ingest.model.schema.SchemaRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The field layouts of compact batch events, declared in {@code spoor.ingest.compact.layouts}: per
 * event name, its schema and the order of its values, so a client sends {@code ["add_to_cart", id,
 * created, ["sku-1", 19.99, 2]]} instead of repeating field names in every event. Validated at
 * start-up against the schema registry (every layout's schema must exist).
 */
public final class CompactLayouts {
  /** One event name's layout. */
  public record Layout(String eventName, SchemaKey schema, List<String> fields) {
    public Layout {
      fields = List.copyOf(fields);
    }
  }

  private final Map<String, Layout> layouts;

  public CompactLayouts(Map<String, Layout> layouts) {
    this.layouts = Map.copyOf(layouts);
  }

  public static CompactLayouts from(Config layoutsSection, String path, SchemaRegistry schemas) {
    Map<String, Layout> layouts = new LinkedHashMap<>();
    ConfigObject root = layoutsSection.root();
    for (String name : root.keySet()) {
      Config layout = layoutsSection.getConfig("\"" + name + "\"");
      String key = path + "." + name;
      if (!layout.hasPath("schema") || !layout.hasPath("fields")) {
        throw new InvalidConfigException(key, "needs schema and fields");
      }
      String uri = layout.getString("schema");
      SchemaKey schema = SchemaKey.parse(uri)
          .orElseThrow(() -> new InvalidConfigException(key + ".schema", uri, "an Iglu URI"));
      if (!schemas.contains(schema)) {
        throw new InvalidConfigException(key + ".schema", uri, "a schema under conf/schemas");
      }
      List<String> fields = layout.getStringList("fields");
      if (fields.isEmpty() || fields.stream().distinct().count() != fields.size()) {
        throw new InvalidConfigException(key + ".fields", fields, "a non-empty list of distinct names");
      }
      layouts.put(name, new Layout(name, schema, fields));
    }
    return new CompactLayouts(layouts);
  }

  public Optional<Layout> forEvent(String eventName) {
    return Optional.ofNullable(layouts.get(eventName));
  }

  public java.util.Set<String> eventNames() {
    return layouts.keySet();
  }
}
