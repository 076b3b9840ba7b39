package dev.tollgate.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.account.ApiKey;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.openai.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models this key may use, in
 * OpenAI's shapes, {@code owned_by} being the provider kind of the first channel serving each.
 */
public final class ModelList {

  private static final JsonFactory JSON = new JsonFactory();

  private final Authentication authentication;
  private final ChannelCatalog catalog;

  public ModelList(Authentication authentication, ChannelCatalog catalog) {
    this.authentication = authentication;
    this.catalog = catalog;
  }

  public void list(RoutingContext rc) {
    authentication.authenticate(rc.request())
        .onSuccess(key -> ok(rc, write(json -> {
          json.writeStartObject();
          json.writeStringField("object", "list");
          json.writeArrayFieldStart("data");
          for (String model : catalog.models()) {
            writeModel(json, key, model);
          }
          json.writeEndArray();
          json.writeEndObject();
        })))
        .onFailure(err -> fail(rc, GatewayError.from(err)));
  }

  /** @param id the model id, which may itself contain slashes (e.g. {@code org/model}) */
  public void one(RoutingContext rc, String id) {
    authentication.authenticate(rc.request())
        .onSuccess(key -> {
          if (!key.mayUse(id) || catalog.channelsFor(id).isEmpty()) {
            fail(rc, GatewayError.of(ErrorCode.MODEL_NOT_FOUND, "the model '" + id + "' does not exist or is not available to this key"));
            return;
          }
          ok(rc, write(json -> writeModel(json, key, id)));
        })
        .onFailure(err -> fail(rc, GatewayError.from(err)));
  }

  private void writeModel(JsonGenerator json, ApiKey key, String model) throws IOException {
    List<Channel> channels = catalog.channelsFor(model);
    if (!key.mayUse(model) || channels.isEmpty()) {
      return;
    }
    Channel first = channels.get(0);
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

  private static void fail(RoutingContext rc, GatewayError error) {
    rc.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(OpenAiErrors.body(error)));
  }
}
