package dev.tollgate.metrics;

import dev.tollgate.usage.UsageWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The usage writer's backlog on {@code /metrics}: one that keeps growing means the database falls behind. */
public final class UsageWriterGauge {

  private UsageWriterGauge() {}

  public static void register(MeterRegistry registry, UsageWriter writer) {
    Gauge.builder("tollgate.usage.writer.pending", writer, UsageWriter::pending)
        .description("usage records answered for and not yet in the database (queued, or in the batch being written)")
        .strongReference(true)
        .register(registry);
  }
}
