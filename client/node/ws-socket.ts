// The ws package's WebSocket already speaks the browser API that the client uses; this types it so.
import WebSocket from 'ws';
import type { SocketFactory, SocketLike } from '../connection.js';

export function nodeSocket(origin?: string): SocketFactory {
  return (url, protocols) =>
    new WebSocket(url, protocols, { maxPayload: 1024 * 1024, ...(origin ? { origin } : {}) }) as unknown as SocketLike;
}
