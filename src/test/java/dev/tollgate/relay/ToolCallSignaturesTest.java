package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.account.Caller;
import dev.tollgate.testing.Accounts;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolCallSignaturesTest {

  private static final Caller KEY = key(7);
  private static final Caller OTHER_KEY = key(8);

  private final LocalThoughtSignatures store = new LocalThoughtSignatures(100);
  private final ToolCallSignatures signatures = new ToolCallSignatures(store);

  private static Caller key(long id) {
    return Accounts.caller(id);
  }

  private static ChatRequest request(List<Message> messages) {
    return new ChatRequest("m", null, messages, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, false, null);
  }

  @Test
  void callsOfAnAnswerLeaveTheirSignaturesAndTheNextRequestGetsThemBack() {
    signatures.remember(KEY, new ChatResponse("r", "m", 1, List.of(new ChatResponse.Choice(0, List.of(
        new ContentPart.Text("Checking."),
        new ContentPart.ToolCall("call_r_0", "f", "{}", "sig-0"),
        new ContentPart.ToolCall("call_r_1", "f", "{}")), FinishReason.TOOL_CALLS)), null));

    ChatRequest restored = signatures.restore(KEY, request(List.of(
        Message.text(Role.USER, "Go"),
        new Message(Role.ASSISTANT, List.of(
            new ContentPart.ToolCall("call_r_0", "f", "{}"),
            new ContentPart.ToolCall("call_r_1", "f", "{}"))))));

    assertThat(restored.messages().get(1).parts()).containsExactly(
        new ContentPart.ToolCall("call_r_0", "f", "{}", "sig-0"),
        new ContentPart.ToolCall("call_r_1", "f", "{}"));
  }

  @Test
  void aStreamedCallLeavesItsSignature() {
    signatures.remember(KEY, new StreamEvent.ToolCallStart(0, "call_s_0", "f", "sig-s"));

    assertThat(store.find(KEY.keyId(), "call_s_0")).isEqualTo("sig-s");
  }

  @Test
  void aSignatureTheRequestAlreadyCarriesIsKept() {
    store.remember(KEY.keyId(), "c", "remembered");
    ChatRequest request = request(List.of(
        Message.text(Role.USER, "Go"),
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("c", "f", "{}", "own")))));

    assertThat(signatures.restore(KEY, request)).isSameAs(request);
  }

  @Test
  void onAMissOrForAnotherKeyTheRequestIsUnchanged() {
    store.remember(KEY.keyId(), "c", "sig");
    ChatRequest request = request(List.of(
        Message.text(Role.USER, "Go"),
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("c", "f", "{}"), new ContentPart.ToolCall("d", "f", "{}")))));

    ChatRequest forOtherKey = signatures.restore(OTHER_KEY, request);

    assertThat(forOtherKey).isSameAs(request);
    assertThat(signatures.restore(KEY, request).messages().get(1).parts())
        .containsExactly(new ContentPart.ToolCall("c", "f", "{}", "sig"), new ContentPart.ToolCall("d", "f", "{}"));
  }
}
