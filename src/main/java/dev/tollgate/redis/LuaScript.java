package dev.tollgate.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run atomically by Redis. Sent by its SHA-1 ({@code EVALSHA}: a few bytes per call);
 * when the server does not know it yet (first call, a restart, {@code SCRIPT FLUSH}) it is sent
 * whole once ({@code EVAL}, which also caches it there).
 */
public final class LuaScript {

  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1(source);
  }

  /** The script in the class path resource {@code name}, beside {@code owner}. */
  public static LuaScript load(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no script " + name + " beside " + owner.getName());
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  /** Sends the script to Redis ahead of its first run ({@code SCRIPT LOAD}). */
  public Future<Void> preload(Redis redis) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).mapEmpty();
  }

  /** Runs the script on {@code keys} with {@code args}. */
  public Future<Response> run(Redis redis, String[] keys, String[] args) {
    return redis.send(command(Command.EVALSHA, sha1, keys, args)).recover(err -> isUnknownScript(err)
        ? redis.send(command(Command.EVAL, source, keys, args))
        : Future.failedFuture(err));
  }

  private static Request command(Command command, String script, String[] keys, String[] args) {
    Request request = Request.cmd(command).arg(script).arg(keys.length);
    for (String key : keys) {
      request.arg(key);
    }
    for (String arg : args) {
      request.arg(arg);
    }
    return request;
  }

  private static boolean isUnknownScript(Throwable err) {
    return err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1(String source) {
    try {
      // The name Redis knows the script by, not a secret.
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
