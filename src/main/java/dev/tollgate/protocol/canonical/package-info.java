/**
 * The hub of the protocol codecs: one neutral model of a chat request, its answer and its stream
 * (shared/protocols.md §5). Every ingress codec decodes into it and every egress codec encodes
 * from it; no codec converts protocol to protocol directly. Pure data: no HTTP, no storage.
 */
package dev.tollgate.protocol.canonical;
