package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.WireProtocol;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chat codec of each wire protocol, for converting between them. */
public final class Codecs {

  private final Map<WireProtocol, ChatCodec> byProtocol = new EnumMap<>(WireProtocol.class);

  public Codecs(List<ChatCodec> codecs) {
    for (ChatCodec codec : codecs) {
      byProtocol.put(codec.protocol(), codec);
    }
  }

  public Optional<ChatCodec> find(WireProtocol protocol) {
    return Optional.ofNullable(byProtocol.get(protocol));
  }
}
