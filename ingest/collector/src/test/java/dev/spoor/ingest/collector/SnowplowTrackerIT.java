package dev.spoor.ingest.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.snowplowanalytics.snowplow.tracker.DevicePlatform;
import com.snowplowanalytics.snowplow.tracker.Subject;
import com.snowplowanalytics.snowplow.tracker.Tracker;
import com.snowplowanalytics.snowplow.tracker.configuration.EmitterConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.NetworkConfiguration;
import com.snowplowanalytics.snowplow.tracker.configuration.TrackerConfiguration;
import com.snowplowanalytics.snowplow.tracker.emitter.BatchEmitter;
import com.snowplowanalytics.snowplow.tracker.emitter.Emitter;
import com.snowplowanalytics.snowplow.tracker.events.PageView;
import com.snowplowanalytics.snowplow.tracker.events.SelfDescribing;
import com.snowplowanalytics.snowplow.tracker.events.Structured;
import com.snowplowanalytics.snowplow.tracker.http.HttpClientAdapter;
import com.snowplowanalytics.snowplow.tracker.http.OkHttpClientAdapter;
import com.snowplowanalytics.snowplow.tracker.payload.SelfDescribingJson;
import com.snowplowanalytics.snowplow.tracker.payload.TrackerPayload;
import dev.spoor.ingest.model.event.Event;
import dev.spoor.stack.testing.UsesLocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Snowplow Java tracker (1.0.1, unchanged) pointed at the collector: page views,
 * structured events and self-describing events with contexts, sent by POST (its batch emitter) and
 * by GET (its HTTP adapter's {@code get}, driven by a one-event emitter), arrive on the good topic
 * with the exact canonical fields.
 */
@UsesLocalStack("kafka")
class SnowplowTrackerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
  private static CollectorFixture collector;

  @BeforeAll
  static void start() {
    collector = new CollectorFixture(Map.of());
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  /** Sends each payload at once with {@code GET /i}, through the tracker's own HTTP adapter. */
  static final class GetEmitter implements Emitter {
    private final HttpClientAdapter adapter;
    final List<Integer> statuses = new ArrayList<>();

    GetEmitter(HttpClientAdapter adapter) {
      this.adapter = adapter;
    }

    @Override
    public boolean add(TrackerPayload payload) {
      statuses.add(adapter.get(payload));
      return true;
    }

    @Override public void flushBuffer() { }
    @Override public List<TrackerPayload> getBuffer() { return List.of(); }
    @Override public void setBatchSize(int batchSize) { }
    @Override public int getBatchSize() { return 1; }
    @Override public void close() { }
  }

  private static Subject subject() {
    Subject subject = new Subject();
    subject.setUserId("user-42");
    subject.setDomainUserId("duid-42");
    subject.setDomainSessionId("sid-42");
    subject.setUseragent(CHROME);
    return subject;
  }

  private static List<String> trackAll(Tracker tracker) {
    List<String> ids = new ArrayList<>();
    ids.addAll(tracker.track(PageView.builder().pageUrl("https://shop.example/p/1").pageTitle("Product 1")
        .referrer("https://search.example/").build()));
    ids.addAll(tracker.track(Structured.builder().category("shop").action("add").label("sku-1").property("red")
        .value(19.9).build()));
    ids.addAll(tracker.track(SelfDescribing.builder()
        .eventData(new SelfDescribingJson("iglu:com.acme/add_to_cart/jsonschema/1-0-0",
            Map.of("sku", "sku-1", "price", 19.9, "quantity", 2)))
        .customContext(List.of(new SelfDescribingJson("iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
            Map.of("id", "c6ef3124-b53a-4b13-a233-0088f79dcbcb"))))
        .build()));
    return ids;
  }

  private static void assertCanonical(Map<String, Event> byId, List<String> ids, String source, Instant before) throws Exception {
    assertThat(byId.keySet()).containsAll(ids);
    Event view = byId.get(ids.get(0));
    Event struct = byId.get(ids.get(1));
    Event cart = byId.get(ids.get(2));

    for (Event e : List.of(view, struct, cart)) {
      assertThat(e.appId()).isEqualTo("shop");
      assertThat(e.platform()).isEqualTo("srv");
      assertThat(e.userId()).isEqualTo("user-42");
      assertThat(e.domainUserid()).isEqualTo("duid-42");
      assertThat(e.domainSessionid()).isEqualTo("sid-42");
      assertThat(e.source()).isEqualTo(source);
      assertThat(e.tracker()).startsWith("java-");
      assertThat(e.useragent()).isEqualTo(CHROME);
      assertThat(e.uaBrowser()).isEqualTo("Chrome");
      assertThat(e.uaDeviceClass()).isEqualTo("Desktop");
      assertThat(e.userIpaddress()).isEqualTo("127.0.0.0");
      assertThat(e.dvceCreatedTstamp()).isNotNull().isAfterOrEqualTo(before.minusSeconds(1));
      assertThat(e.collectorTstamp()).isAfterOrEqualTo(e.dvceCreatedTstamp().minusSeconds(1));
      assertThat(e.derivedTstamp()).isBeforeOrEqualTo(e.collectorTstamp());
      assertThat(e.eventDate()).isEqualTo(e.derivedTstamp().atOffset(java.time.ZoneOffset.UTC).toLocalDate());
      assertThat(e.eventFingerprint()).hasSize(32);
    }
    assertThat(view.eventName()).isEqualTo("page_view");
    assertThat(view.pageUrl()).isEqualTo("https://shop.example/p/1");
    assertThat(view.pageReferrer()).isEqualTo("https://search.example/");
    assertThat(JSON.readTree(view.properties())).isEqualTo(JSON.readTree("{\"page_title\":\"Product 1\"}"));
    assertThat(struct.eventName()).isEqualTo("event");
    assertThat(struct.schema()).isEqualTo("iglu:com.google.analytics/event/jsonschema/1-0-0");
    assertThat(JSON.readTree(struct.properties())).isEqualTo(JSON.readTree(
        "{\"category\":\"shop\",\"action\":\"add\",\"label\":\"sku-1\",\"property\":\"red\",\"value\":19.9}"));
    assertThat(cart.eventName()).isEqualTo("add_to_cart");
    assertThat(cart.schema()).isEqualTo("iglu:com.acme/add_to_cart/jsonschema/1-0-0");
    assertThat(JSON.readTree(cart.properties())).isEqualTo(JSON.readTree("{\"sku\":\"sku-1\",\"price\":19.9,\"quantity\":2}"));
    assertThat(JSON.readTree(cart.contexts())).isEqualTo(JSON.readTree(
        "[{\"schema\":\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\","
            + "\"data\":{\"id\":\"c6ef3124-b53a-4b13-a233-0088f79dcbcb\"}}]"));
  }

  @Test
  void postedBatchesOfTheJavaTrackerArriveWithTheirCanonicalFields() throws Exception {
    Instant before = Instant.now();
    BatchEmitter emitter = new BatchEmitter(new NetworkConfiguration(collector.url("")),
        new EmitterConfiguration().batchSize(3));
    Tracker tracker = new Tracker(new TrackerConfiguration("it-post", "shop").platform(DevicePlatform.ServerSideApp)
        .base64Encoded(true), emitter, subject());

    List<String> ids = trackAll(tracker);
    emitter.flushBuffer();

    List<Event> events = collector.awaitGood(3, Duration.ofSeconds(60));
    tracker.close();
    Map<String, Event> byId = events.stream().collect(Collectors.toMap(Event::eventId, Function.identity(), (a, b) -> a));
    assertCanonical(byId, ids, "snowplow-post", before);
    assertThat(collector.bad()).isEmpty();
  }

  @Test
  void pixelRequestsOfTheJavaTrackerArriveWithTheirCanonicalFields() throws Exception {
    Instant before = Instant.now();
    int already = collector.good().size();
    GetEmitter emitter = new GetEmitter(OkHttpClientAdapter.builder().url(collector.url(""))
        .httpClient(new OkHttpClient()).build());
    Tracker tracker = new Tracker(new TrackerConfiguration("it-get", "shop").platform(DevicePlatform.ServerSideApp)
        .base64Encoded(false), emitter, subject());

    List<String> ids = trackAll(tracker);

    assertThat(emitter.statuses).containsExactly(200, 200, 200);
    List<Event> events = collector.good();
    assertThat(events).hasSize(already + 3);
    Map<String, Event> byId = events.stream().collect(Collectors.toMap(Event::eventId, Function.identity(), (a, b) -> a));
    assertCanonical(byId, ids, "snowplow-get", before);
  }
}
