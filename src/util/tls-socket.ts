/**
 * HTTPS servers and Node's HTTP/1 pipelining guard: Node pauses a connection's parser when a
 * request arrives before the previous response drained (_http_server.js parserOnIncoming). With
 * TLS, bytes already decrypted still reach the paused parser, which fails with HPE_PAUSED, and
 * the connection is dropped: kubectl, which sends its next request as soon as it has read a
 * response, saw "Unable to connect to the server: EOF" applying the prometheus-operator CRDs
 * (responses of ~0.5 MB, each over the default 16 KiB high-water mark). A write buffer above any
 * response keeps `needDrain` false between requests; what is buffered is unchanged (watches still
 * cut slow readers on writableLength).
 */
import type { TLSSocket } from 'node:tls';

/** Write buffer of a connection before Node signals back-pressure. */
export const LARGE_RESPONSE_HIGH_WATER_MARK = 8 * 1024 * 1024;

/**
 * For `secureConnection`: raises the accepted socket's writable high-water mark. Node has no
 * public setter for it on an accepted TLS socket (the server's highWaterMark option does not reach
 * TLSSocket), hence the internal field.
 */
export function allowLargeResponses(socket: TLSSocket): void {
  const state = (socket as unknown as { _writableState?: { highWaterMark?: number } })._writableState;
  if (state && typeof state.highWaterMark === 'number' && state.highWaterMark < LARGE_RESPONSE_HIGH_WATER_MARK) state.highWaterMark = LARGE_RESPONSE_HIGH_WATER_MARK;
}
