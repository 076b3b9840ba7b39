package dev.tollgate.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.account.Caller;
import dev.tollgate.channel.Channel;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.BaseUrls;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Providers;
import dev.tollgate.provider.anthropic.AnthropicProvider;
import dev.tollgate.usage.TokenEstimator;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Token counting: Anthropic's {@code POST /v1/messages/count_tokens} and Gemini's
 * {@code :countTokens}. An Anthropic request for a model an Anthropic channel serves is asked of
 * that channel (exact); otherwise the gateway estimates with its tokenizer (o200k_base) over the
 * request's text — system, messages and tools, not image or audio bytes.
 */
public final class TokenCount {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Fields whose strings are not prompt text: ids, types, roles and inline bytes. */
  private static final Set<String> NOT_TEXT =
      Set.of("data", "type", "media_type", "mimeType", "mime_type", "id", "tool_use_id", "role", "signature", "cache_control");

  private final Ingress ingress;
  private final Authentication authentication;
  private final ChannelRouter router;
  private final Providers providers;
  private final UpstreamTimeouts timeouts;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final TokenEstimator estimator;

  TokenCount(
      Ingress ingress, Authentication authentication, ChannelRouter router, Providers providers,
      UpstreamTimeouts timeouts, Vertx vertx, HttpClientAgent client, TokenEstimator estimator) {
    this.ingress = ingress;
    this.authentication = authentication;
    this.router = router;
    this.providers = providers;
    this.timeouts = timeouts;
    this.vertx = vertx;
    this.client = client;
    this.estimator = estimator;
  }

  public void handle(RoutingContext rc) {
    authentication.authenticate(rc.request())
        .onSuccess(key -> count(rc, key))
        .onFailure(err -> fail(rc, GatewayError.from(err)));
  }

  private void count(RoutingContext rc, Caller key) {
    byte[] body = rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      fail(rc, GatewayError.invalid(null, "the request body is not valid JSON"));
      return;
    }
    if (request == null || !request.isObject()) {
      fail(rc, GatewayError.invalid(null, "the request body must be a JSON object"));
      return;
    }
    String model = ingress.protocol() == WireProtocol.GEMINI
        ? GeminiTarget.model(rc.pathParam(Relays.GEMINI_TARGET))
        : request.path("model").asText("");
    if (model.isBlank()) {
      fail(rc, GatewayError.invalid("model", "'model' is required"));
      return;
    }
    Optional<String> refusal = key.refusal(model);
    if (refusal.isPresent()) {
      fail(rc, GatewayError.of(ErrorCode.FORBIDDEN, refusal.get()));
      return;
    }
    Optional<Channel> exact = ingress.protocol() == WireProtocol.ANTHROPIC
        ? router.candidates(model, key.groupName()).stream()
            .filter(c -> providers.find(c.type()).map(p -> p.protocol() == WireProtocol.ANTHROPIC).orElse(false))
            .findFirst()
        : Optional.empty();
    if (exact.isPresent()) {
      askUpstream(rc, exact.get(), model, body);
    } else if (router.candidates(model, key.groupName()).isEmpty()) {
      fail(rc, GatewayError.of(ErrorCode.MODEL_NOT_FOUND, "the model '" + model + "' is not served by any channel"));
    } else {
      answer(rc, 200, estimate(request));
    }
  }

  private int estimate(JsonNode request) {
    StringBuilder text = new StringBuilder();
    int turns = 0;
    for (String field : new String[] {"system", "systemInstruction", "messages", "contents", "tools"}) {
      JsonNode node = request.get(field);
      if (node != null) {
        collect(node, null, text);
        if (node.isArray() && (field.equals("messages") || field.equals("contents"))) {
          turns += node.size();
        }
      }
    }
    return estimator.count(text.toString()) + turns * 4;
  }

  private static void collect(JsonNode node, String field, StringBuilder text) {
    if (node.isTextual()) {
      if (field == null || !NOT_TEXT.contains(field)) {
        text.append(node.asText()).append('\n');
      }
    } else if (node.isObject()) {
      node.properties().forEach(e -> collect(e.getValue(), e.getKey(), text));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, field, text));
    }
  }

  private void askUpstream(RoutingContext rc, Channel channel, String model, byte[] body) {
    Provider provider = providers.find(channel.type()).orElseThrow();
    Map<String, String> clientHeaders = new HashMap<>();
    for (String name : AnthropicProvider.CLIENT_HEADERS) {
      String value = rc.request().getHeader(name);
      if (value != null) {
        clientHeaders.put(name, value);
      }
    }
    MultiMap headers = UpstreamHeaders.forChannel(provider, channel, "application/json", clientHeaders);
    // No parameter overrides: they shape answers (max_tokens…), which count_tokens refuses.
    byte[] upstreamBody = dev.tollgate.protocol.TopLevelModel.of(body).upstreamBody(channel.upstreamModel(model));
    UpstreamCall call = new UpstreamCall(vertx, timeouts.forChannel(channel.timeouts()));
    call.send(client, BaseUrls.withVersion(channel.baseUrl(), "/v1") + "/messages/count_tokens", headers, upstreamBody)
        .compose(response -> response.body().map(bytes -> {
          call.finish();
          rc.response().setStatusCode(response.statusCode())
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(bytes);
          return bytes;
        }))
        .onFailure(err -> fail(rc, UpstreamOutcomes.classify(err, call)));
  }

  private void answer(RoutingContext rc, int status, int tokens) {
    String body = ingress.protocol() == WireProtocol.GEMINI
        ? "{\"totalTokens\":" + tokens + "}"
        : "{\"input_tokens\":" + tokens + "}";
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }

  private void fail(RoutingContext rc, GatewayError error) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response().setStatusCode(ingress.errorStatus(error))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(ingress.errorBody(error)));
  }
}
