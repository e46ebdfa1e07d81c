// The websocket side of the relay: `/v1/data-channel/<sessionId>`. The first frame must be the
// text open frame (notes §1.3) with an unused token of that session; anything else closes the
// socket with the configured close code and sends nothing.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

import type { FaultSettings } from './faults.js';
import type { Logger } from './log.js';
import type { Session } from './session.js';

export const DATA_CHANNEL_PATH = '/v1/data-channel/';
const OPEN_FRAME_TIMEOUT_MS = 10_000;

export interface DataChannelServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createDataChannelServer(
  findSession: (sessionId: string) => Session | undefined,
  faults: FaultSettings,
  log: Logger,
): DataChannelServer {
  const server = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const sessionId = decodeURIComponent(path.slice(DATA_CHANNEL_PATH.length));
    const reject = (reason: string) => {
      log(`data channel ${sessionId}: open frame rejected: ${reason}`);
      socket.close(faults.badTokenCloseCode);
    };
    const timer = setTimeout(() => reject('no open frame'), OPEN_FRAME_TIMEOUT_MS);
    timer.unref();
    socket.on('close', () => clearTimeout(timer));
    socket.once('message', (data: Buffer, isBinary: boolean) => {
      clearTimeout(timer);
      const session = findSession(sessionId);
      if (!session) return reject('unknown session');
      if (isBinary) return reject('the first frame is binary, not the JSON open frame');
      const token = readToken(data);
      if (!session.consumeToken(token)) return reject('bad, used or missing TokenValue');
      session.attach(socket);
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    },
    close() {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}

function readToken(data: Buffer): unknown {
  try {
    const open = JSON.parse(data.toString('utf8'));
    return open?.TokenValue;
  } catch {
    return undefined;
  }
}
