package dev.spoor.speed.rule;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.spoor.config.InvalidConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One speed-layer rule from {@code spoor.speed.rules}: a SQL condition over the event's columns and
 * its user's {@code state.*}, and what to do with a matching event:
 * <ul>
 *   <li>{@code notify}: a notification (rule id, user, event id, {@code payload} fields, each a SQL
 *       expression) to the notifications topic, keyed by a deterministic id (hash of rule id + event id);
 *   <li>{@code route}: the event to {@code spoor.routed.<route>};
 *   <li>{@code gate}: the event is held back from the gated topic (which receives every other event);
 *   <li>{@code decorate}: the event plus the {@code fields} of its state to the decorated topic.
 * </ul>
 */
public record Rule(String id, String when, Action action, String route, Map<String, String> payload, List<String> fields)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Action { NOTIFY, ROUTE, GATE, DECORATE }

  public Rule {
    payload = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    fields = List.copyOf(fields);
  }

  /** Every rule of a {@code rules} section, in name order. */
  public static List<Rule> parseAll(Config rules, String path) {
    List<Rule> all = new ArrayList<>();
    for (String id : rules.root().keySet().stream().sorted().toList()) {
      String key = path + "." + id;
      if (!id.matches("[a-z][a-z0-9_]{0,63}")) {
        throw new InvalidConfigException(key, id, "a rule id of lower-case letters, digits and '_'");
      }
      if (rules.root().get(id).valueType() != ConfigValueType.OBJECT) {
        throw new InvalidConfigException(key, rules.root().get(id).render(), "a rule { when, action, … }");
      }
      all.add(parse(id, rules.getConfig(id), key));
    }
    return all;
  }

  static Rule parse(String id, Config rule, String key) {
    try {
      String when = rule.getString("when");
      Action action;
      try {
        action = Action.valueOf(rule.getString("action").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(key + ".action", rule.getString("action"), "notify, route, gate or decorate");
      }
      String route = null;
      if (action == Action.ROUTE) {
        route = rule.getString("route");
        if (!route.matches("[a-z0-9_.-]{1,100}")) {
          throw new InvalidConfigException(key + ".route", route, "a topic suffix of lower-case letters, digits, '_', '.', '-'");
        }
      }
      Map<String, String> payload = new LinkedHashMap<>();
      if (rule.hasPath("payload")) {
        Config p = rule.getConfig("payload");
        for (String field : p.root().keySet().stream().sorted().toList()) {
          payload.put(field, p.getString(field));
        }
      }
      List<String> fields = rule.hasPath("fields") ? rule.getStringList("fields") : List.of();
      if (action == Action.DECORATE && fields.isEmpty()) {
        throw new InvalidConfigException(key + ".fields", "[]", "the state fields to attach, e.g. [score, segments]");
      }
      return new Rule(id, when, action, route, payload, fields);
    } catch (ConfigException e) {
      throw new InvalidConfigException(key, e.getMessage());
    }
  }
}
