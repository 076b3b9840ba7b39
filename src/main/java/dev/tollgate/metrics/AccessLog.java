package dev.tollgate.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tollgate.billing.Money;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.relay.RequestObserver;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.Outcome;
import dev.tollgate.usage.UsageRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compact JSON line per metered request on the logger {@value #LOGGER}, which logback.xml sends
 * to its own appender as the bare line. It holds what a request is traced by: ids, protocol,
 * models, channel, outcome, tokens, cost, timings, attempts and attribution. Never a secret nor
 * the prompt or the answer: the usage record holds neither (the key is there by its id only), so
 * no field here can leak one. Absent values are left out.
 */
public final class AccessLog implements RequestObserver {

  public static final String LOGGER = "tollgate.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN) // cost 100, never 1E+2
      .build();

  @Override
  public void ended(WireProtocol protocol, UsageRecord record) {
    if (LOG.isInfoEnabled()) {
      LOG.info(line(protocol, record));
    }
  }

  static String line(WireProtocol protocol, UsageRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", r.createdAt().toString());
      json.writeStringField("requestId", r.requestId());
      json.writeStringField("protocol", protocol.name().toLowerCase(Locale.ROOT));
      json.writeStringField("model", r.modelRequested());
      text(json, "upstreamModel", r.modelUsed());
      if (r.channelId() != null) {
        json.writeNumberField("channelId", r.channelId());
      }
      json.writeBooleanField("stream", r.stream());
      json.writeStringField("status", Outcome.of(r.status(), r.errorCode()).wireName());
      json.writeNumberField("httpStatus", r.status());
      text(json, "errorCode", r.errorCode());
      json.writeNumberField("promptTokens", r.promptTokens());
      json.writeNumberField("completionTokens", r.completionTokens());
      json.writeNumberField("cachedTokens", r.cachedTokens());
      json.writeBooleanField("tokensEstimated", r.tokensEstimated());
      json.writeNumberField("costCents", Money.microsAsCents(r.cost()));
      if (r.firstByteMs() != null) {
        json.writeNumberField("firstByteMs", r.firstByteMs());
      }
      json.writeNumberField("totalMs", r.totalMs());
      attempts(json, r);
      json.writeNumberField("keyId", r.keyId());
      json.writeNumberField("userId", r.userId());
      json.writeBooleanField("ownKey", r.ownKey());
      attribution(json, r.attribution());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void attempts(JsonGenerator json, UsageRecord r) throws IOException {
    json.writeArrayFieldStart("attempts");
    for (UsageRecord.Attempt attempt : r.attempts()) {
      json.writeStartObject();
      json.writeNumberField("channelId", attempt.channelId());
      if (attempt.status() != null) {
        json.writeNumberField("status", attempt.status());
      }
      text(json, "error", attempt.error());
      json.writeNumberField("ms", attempt.ms());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  private static void attribution(JsonGenerator json, Attribution a) throws IOException {
    text(json, "workflowTag", a.workflowTag());
    text(json, "step", a.step());
    text(json, "executionId", a.executionId());
    text(json, "source", a.source());
    text(json, "project", a.project());
  }

  private static void text(JsonGenerator json, String name, String value) throws IOException {
    if (value != null) {
      json.writeStringField(name, value);
    }
  }
}
