package dev.tollgate.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.account.ApiKey;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.openai.OpenAiErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** {@code GET /v1/models}: the models this key may use, in OpenAI's list shape. */
public final class ModelList {

  private static final JsonFactory JSON = new JsonFactory();

  private final Authentication authentication;
  private final ChannelCatalog catalog;

  public ModelList(Authentication authentication, ChannelCatalog catalog) {
    this.authentication = authentication;
    this.catalog = catalog;
  }

  public void handle(RoutingContext rc) {
    authentication.authenticate(rc.request())
        .onSuccess(key -> rc.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(Buffer.buffer(render(key))))
        .onFailure(err -> {
          GatewayError error = GatewayError.from(err);
          rc.response()
              .setStatusCode(error.status())
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .end(Buffer.buffer(OpenAiErrors.body(error)));
        });
  }

  private byte[] render(ApiKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("object", "list");
      json.writeArrayFieldStart("data");
      for (String model : catalog.models()) {
        if (!key.mayUse(model)) {
          continue;
        }
        List<Channel> channels = catalog.channelsFor(model);
        if (channels.isEmpty()) {
          continue;
        }
        Channel first = channels.get(0);
        json.writeStartObject();
        json.writeStringField("id", model);
        json.writeStringField("object", "model");
        json.writeNumberField("created", first.createdAt().getEpochSecond());
        json.writeStringField("owned_by", first.type());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
