package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw calls to a gateway's management API ({@code /api/…}), with the answer parsed. */
public final class ManagementClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;

  public ManagementClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** @param body JSON text or null; @param bearer a session token, the admin token, or null */
  public Reply call(String method, String path, String body, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response = Http.send(request.build());
    return new Reply(response.statusCode(), parse(response.body()), response);
  }

  /** Logs in and returns the session token; fails the test unless the login succeeds. */
  public String login(String username, String password) {
    Reply reply = call("POST", "/api/user/login", json("username", username, "password", password), null);
    if (reply.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + reply.status() + " " + reply.raw().body());
    }
    return reply.body().path("token").asText();
  }

  /** Registers a user and returns their session token; fails the test unless registration succeeds. */
  public String register(String username, String password) {
    Reply reply = call("POST", "/api/user/register", json("username", username, "password", password), null);
    if (reply.status() != 201) {
      throw new AssertionError("registration of " + username + " failed: " + reply.status() + " " + reply.raw().body());
    }
    return reply.body().path("token").asText();
  }

  /** A JSON object of string fields: json("a", "1", "b", "2"). */
  /** A user made by an admin, logged in, with one API key of theirs. */
  public record Member(long id, String session, String key, long keyId) {}

  /** Makes a user with {@code quotaCents} (as the admin {@code adminBearer}), logs them in and makes them a key named {@code keyName}. */
  public Member member(String username, long quotaCents, String keyName, String adminBearer) {
    String password = username + "-password";
    Reply created = call("POST", "/api/user", json("username", username, "password", password)
        .replace("}", ",\"quota\":" + quotaCents + "}"), adminBearer);
    if (created.status() != 201) {
      throw new IllegalStateException("user not made: " + created.raw().body());
    }
    String session = login(username, password);
    Reply key = call("POST", "/api/token", json("name", keyName), session);
    if (key.status() != 201) {
      throw new IllegalStateException("key not made: " + key.raw().body());
    }
    return new Member(created.body().path("id").asLong(), session, key.body().path("key").asText(),
        key.body().path("apiKey").path("id").asLong());
  }

  public static String json(String... namesAndValues) {
    var object = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      object.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return object.toString();
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isEmpty()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** A status and its parsed body (a missing node when the body is empty or not JSON). */
  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    public String error() {
      return body.path("error").path("message").asText();
    }
  }
}
