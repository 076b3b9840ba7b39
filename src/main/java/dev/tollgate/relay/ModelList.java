package dev.tollgate.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.account.Caller;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.openai.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The models this key may use: {@code GET /v1/models} and {@code /v1/models/{id}} in OpenAI's
 * shapes ({@code owned_by} = the provider kind of the first channel serving each) or, when the
 * caller sends {@code anthropic-version} (the Anthropic SDK does), Anthropic's; {@code GET
 * /v1beta/models} and {@code /v1beta/models/{id}} in Gemini's.
 */
public final class ModelList {

  private static final JsonFactory JSON = new JsonFactory();

  private final Authentication authentication;
  private final ChannelCatalog catalog;
  private final Codecs codecs;

  public ModelList(Authentication authentication, ChannelCatalog catalog, Codecs codecs) {
    this.authentication = authentication;
    this.catalog = catalog;
    this.codecs = codecs;
  }

  private static boolean anthropicCaller(RoutingContext rc) {
    return rc.request().getHeader("anthropic-version") != null;
  }

  /** {@code GET /v1beta/models}: Gemini's list shape. */
  public void listGemini(RoutingContext rc) {
    authentication.authenticate(rc.request())
        .onSuccess(key -> ok(rc, write(json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("models");
          for (String model : catalog.models(key.groupName())) {
            if (available(key, model)) {
              writeGeminiModel(json, model);
            }
          }
          json.writeEndArray();
          json.writeEndObject();
        })))
        .onFailure(err -> fail(rc, WireProtocol.GEMINI, GatewayError.from(err)));
  }

  /** {@code GET /v1beta/models/{id}}. */
  public void oneGemini(RoutingContext rc, String id) {
    String model = id.startsWith("models/") ? id.substring("models/".length()) : id;
    authentication.authenticate(rc.request())
        .onSuccess(key -> {
          if (!available(key, model)) {
            fail(rc, WireProtocol.GEMINI, GatewayError.of(ErrorCode.MODEL_NOT_FOUND,
                "the model '" + model + "' does not exist or is not available to this key"));
            return;
          }
          ok(rc, write(json -> writeGeminiModel(json, model)));
        })
        .onFailure(err -> fail(rc, WireProtocol.GEMINI, GatewayError.from(err)));
  }

  private static void writeGeminiModel(JsonGenerator json, String model) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", "models/" + model);
    json.writeStringField("baseModelId", model);
    json.writeStringField("displayName", model);
    json.writeArrayFieldStart("supportedGenerationMethods");
    json.writeString("generateContent");
    json.writeString("streamGenerateContent");
    json.writeString("countTokens");
    json.writeEndArray();
    json.writeEndObject();
  }

  private void writeAnthropicModel(JsonGenerator json, Caller key, String model) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "model");
    json.writeStringField("id", model);
    json.writeStringField("display_name", model);
    json.writeStringField("created_at", catalog.channelsFor(model, key.groupName()).get(0).createdAt().toString());
    json.writeEndObject();
  }

  public void list(RoutingContext rc) {
    if (anthropicCaller(rc)) {
      listAnthropic(rc);
      return;
    }
    authentication.authenticate(rc.request())
        .onSuccess(key -> ok(rc, write(json -> {
          json.writeStartObject();
          json.writeStringField("object", "list");
          json.writeArrayFieldStart("data");
          for (String model : catalog.models(key.groupName())) {
            writeModel(json, key, model);
          }
          json.writeEndArray();
          json.writeEndObject();
        })))
        .onFailure(err -> fail(rc, WireProtocol.OPENAI, GatewayError.from(err)));
  }

  private void listAnthropic(RoutingContext rc) {
    authentication.authenticate(rc.request())
        .onSuccess(key -> {
          List<String> models = catalog.models(key.groupName()).stream()
              .filter(m -> available(key, m)).toList();
          ok(rc, write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("data");
            for (String model : models) {
              writeAnthropicModel(json, key, model);
            }
            json.writeEndArray();
            json.writeBooleanField("has_more", false);
            json.writeStringField("first_id", models.isEmpty() ? null : models.get(0));
            json.writeStringField("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
            json.writeEndObject();
          }));
        })
        .onFailure(err -> fail(rc, WireProtocol.ANTHROPIC, GatewayError.from(err)));
  }

  /** @param id the model id, which may itself contain slashes (e.g. {@code org/model}) */
  public void one(RoutingContext rc, String id) {
    WireProtocol caller = anthropicCaller(rc) ? WireProtocol.ANTHROPIC : WireProtocol.OPENAI;
    authentication.authenticate(rc.request())
        .onSuccess(key -> {
          if (!available(key, id)) {
            fail(rc, caller, GatewayError.of(ErrorCode.MODEL_NOT_FOUND,
                "the model '" + id + "' does not exist or is not available to this key"));
            return;
          }
          ok(rc, write(json -> {
            if (caller == WireProtocol.ANTHROPIC) {
              writeAnthropicModel(json, key, id);
            } else {
              writeModel(json, key, id);
            }
          }));
        })
        .onFailure(err -> fail(rc, caller, GatewayError.from(err)));
  }

  /**
   * Whether the caller can call the model: the key, group and routing policy allow it, and some
   * channel of a provider their policy allows serves it to their group.
   */
  private boolean available(Caller key, String model) {
    if (!key.mayUse(model)) {
      return false;
    }
    for (Channel channel : catalog.channelsFor(model, key.groupName())) {
      if (key.mayUseProvider(channel.type())) {
        return true;
      }
    }
    return false;
  }

  private void writeModel(JsonGenerator json, Caller key, String model) throws IOException {
    if (!available(key, model)) {
      return;
    }
    Channel first = catalog.channelsFor(model, key.groupName()).get(0);
    json.writeStartObject();
    json.writeStringField("id", model);
    json.writeStringField("object", "model");
    json.writeNumberField("created", first.createdAt().getEpochSecond());
    json.writeStringField("owned_by", first.type());
    json.writeEndObject();
  }

  private interface JsonWriting {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] write(JsonWriting writing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      writing.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void ok(RoutingContext rc, byte[] body) {
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(body));
  }

  /** An error in the caller's protocol. */
  private void fail(RoutingContext rc, WireProtocol caller, GatewayError error) {
    var codec = codecs.find(caller);
    rc.response()
        .setStatusCode(codec.map(c -> c.status(error)).orElse(error.status()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(codec.map(c -> c.encodeError(error)).orElseGet(() -> OpenAiErrors.body(error))));
  }
}
