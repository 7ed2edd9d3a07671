package dev.spoor.demo.traffic;

import com.snowplowanalytics.snowplow.tracker.Subject;
import com.snowplowanalytics.snowplow.tracker.Tracker;
import com.snowplowanalytics.snowplow.tracker.configuration.EmitterConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.NetworkConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.TrackerConfiguration;
import com.snowplowanalytics.snowplow.tracker.emitter.BatchEmitter;
import com.snowplowanalytics.snowplow.tracker.events.PageView;
import com.snowplowanalytics.snowplow.tracker.events.SelfDescribing;
import com.snowplowanalytics.snowplow.tracker.payload.SelfDescribingJson;
import dev.spoor.demo.shop.PlannedEvent;
import java.util.List;

/**
 * Sends events with the real Snowplow Java tracker (protocol {@code tp2}, POSTed in batches by its
 * {@code BatchEmitter}): page views as the tracker's page views, shop events as self-describing events
 * of the schemas under conf/schemas. Each event carries its true timestamp (when it happened), which
 * the collector takes as the event time. One tracker per run; {@link #close} flushes and stops it.
 */
public final class TrackerSender implements AutoCloseable {
  private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/124.0.0.0 Safari/537.36";
  private final BatchEmitter emitter;
  private final Tracker tracker;

  public TrackerSender(String collectorUrl) {
    emitter = new BatchEmitter(new NetworkConfiguration(collectorUrl), new EmitterConfiguration().batchSize(50));
    tracker = new Tracker(new TrackerConfiguration("spoor-demo", "shop").base64Encoded(true), emitter);
  }

  private static String schema(String name) {
    return "iglu:com.acme/" + name + "/jsonschema/" + (name.equals("add_to_cart") ? "1-1-0" : "1-0-0");
  }

  /** Tracks one user's events; the ids the tracker gave them are added to the delivery. */
  public void send(String user, List<PlannedEvent> events, Delivery delivery) {
    Subject subject = new Subject();
    subject.setUserId(user);
    subject.setUseragent(CHROME);
    for (PlannedEvent event : events) {
      List<String> ids;
      if (event.name().equals("page_view")) {
        ids = tracker.track(PageView.builder().pageUrl("https://shop.example/").pageTitle((String) event.properties()
            .get("page_title")).subject(subject).trueTimestamp(event.at().toEpochMilli()).build());
      } else {
        ids = tracker.track(SelfDescribing.builder().eventData(new SelfDescribingJson(schema(event.name()),
            event.properties())).subject(subject).trueTimestamp(event.at().toEpochMilli()).build());
      }
      delivery.acceptedIds.addAll(ids);
      delivery.events++;
    }
  }

  /** Sends what is buffered and waits for the emitter to finish (its HTTP requests are the tracker's own). */
  @Override
  public void close() {
    emitter.flushBuffer();
    tracker.close();
  }

}
