package dev.tollgate.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tollgate.billing.Money;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.relay.RequestObserver;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.Outcome;
import dev.tollgate.usage.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compact JSON line per metered request, on stdout or in {@code log.access_file}. It holds
 * what a request is traced by: ids, protocol, models, channel, outcome, tokens, cost, timings,
 * attempts and attribution. Never a secret: the usage record holds none (the key is there by its
 * id only), so no field here can leak one. Nor the prompt, unless {@code log.access_prompts} (a
 * debug option, off by default) adds its text, up to {@value #PROMPT_CHARS} characters; never the
 * answer. Absent values are left out.
 *
 * <p>Not through the logging framework: an event loop only queues the record (no formatting, no
 * lock, no thread wake-up); one thread formats what gathered every {@value #DRAIN_MILLIS} ms and
 * writes it in one call. Through logback's async appender every line woke its worker and wrote
 * and flushed alone, which halved the relay's throughput (bench/, non-stream: 13,954 → 5,794
 * req/s). When {@value #MAX_PENDING} lines wait, more are dropped and counted rather than kept;
 * closing writes every line queued.
 */
public final class AccessLog implements RequestObserver, AutoCloseable {

  static final int MAX_PENDING = 16_384;
  static final long DRAIN_MILLIS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN) // cost 100, never 1E+2
      .build();

  static final int PROMPT_CHARS = 8_192;

  private record Entry(WireProtocol protocol, UsageRecord record, String prompt) {}

  private final OutputStream out;
  private final boolean ownsOut;
  private final boolean withPrompts;
  private final ConcurrentLinkedQueue<Entry> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Counter dropped;
  private final Thread writer;
  private volatile boolean closed;
  private boolean failing; // the writer thread's only

  AccessLog(OutputStream out, boolean ownsOut, boolean withPrompts, MeterRegistry registry) {
    this.out = out;
    this.ownsOut = ownsOut;
    this.withPrompts = withPrompts;
    this.dropped = Counter.builder("tollgate_access_log_dropped")
        .description("access log lines dropped because the output did not keep up")
        .register(registry);
    this.writer = Thread.ofPlatform().daemon().name("access-log").start(this::run);
  }

  /** The access log the settings ask for: to {@code log.access_file} (appended), or stdout. */
  public static AccessLog open(TollgateConfig.Log settings, MeterRegistry registry) {
    String file = settings.accessFile();
    if (file == null || file.isBlank()) {
      return new AccessLog(System.out, false, settings.accessPrompts(), registry);
    }
    try {
      Path path = Path.of(file).toAbsolutePath();
      Files.createDirectories(path.getParent());
      return new AccessLog(new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024), true, settings.accessPrompts(), registry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log file " + file, e);
    }
  }

  @Override
  public void ended(WireProtocol protocol, UsageRecord record, Supplier<String> prompt) {
    if (size.incrementAndGet() > MAX_PENDING) {
      size.decrementAndGet();
      dropped.increment();
      return;
    }
    // Read here, on the request's loop: the request is not meant for other threads.
    pending.offer(new Entry(protocol, record, withPrompts ? prompt.get() : null));
  }

  private void run() {
    while (!closed) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS));
      drain();
    }
    drain(); // what was queued before close
  }

  private void drain() {
    StringBuilder lines = new StringBuilder();
    Entry entry;
    while ((entry = pending.poll()) != null) {
      size.decrementAndGet();
      lines.append(line(entry.protocol(), entry.record(), entry.prompt())).append('\n');
    }
    if (lines.isEmpty()) {
      return;
    }
    try {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (failing) {
        failing = false;
        LOG.info("the access log is written again");
      }
    } catch (IOException e) {
      if (!failing) {
        failing = true;
        LOG.warn("writing the access log failed; its lines are lost until it works: {}", e.getMessage());
      }
    }
  }

  /** Writes every line queued, then stops. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsOut) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.warn("closing the access log failed: {}", e.getMessage());
      }
    }
  }

  static String line(WireProtocol protocol, UsageRecord r, String prompt) {
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
      if (prompt != null) {
        boolean cut = prompt.length() > PROMPT_CHARS;
        json.writeStringField("prompt", cut ? prompt.substring(0, PROMPT_CHARS) : prompt);
        if (cut) {
          json.writeBooleanField("promptTruncated", true);
        }
      }
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
