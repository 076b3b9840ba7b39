package dev.tollgate.protocol;

/** A client request that can go to an upstream of its own protocol with only the model renamed. */
public interface PassthroughBody {

  /** The bytes to send upstream for the model name the upstream knows. */
  byte[] upstreamBody(String upstreamModel);
}
