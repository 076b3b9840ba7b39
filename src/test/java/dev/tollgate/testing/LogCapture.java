package dev.tollgate.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line written while it is open, stack traces included, with Tollgate's loggers at DEBUG
 * (the most a log could say): for tests that prove no secret is ever logged.
 */
public final class LogCapture implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger tollgate = (Logger) LoggerFactory.getLogger("dev.tollgate");
  private final Level tollgateLevel = tollgate.getLevel();

  private LogCapture() {
    appender.start();
    root.addAppender(appender);
    tollgate.setLevel(Level.DEBUG);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /** The lines so far, each with its stack trace appended; never empty once anything logged. */
  public List<String> lines() {
    synchronized (appender) {
      return List.copyOf(appender.list).stream().map(LogCapture::line).toList();
    }
  }

  private static String line(ILoggingEvent event) {
    return event.getFormattedMessage()
        + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()));
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    tollgate.setLevel(tollgateLevel);
  }
}
