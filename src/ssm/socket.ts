// One websocket connection to a Session Manager stream URL: dial it verbatim, send the JSON open
// frame, hand binary frames up. Error messages never include the URL or the token.

import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

import { ChannelError } from './errors.js';
import type { SessionCredentials } from './sessionCredentials.js';

export interface SocketOptions {
  credentials: SessionCredentials;
  clientId: string;
  clientVersion: string;
  connectTimeoutMs: number;
}

/** Opens the websocket and sends the open frame; resolves once the frame is written. */
export function openDataSocket(options: SocketOptions): Promise<WebSocket> {
  const { credentials } = options;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(credentials.streamUrl, {
      perMessageDeflate: false,
      handshakeTimeout: options.connectTimeoutMs,
      followRedirects: false,
    });
    const fail = (detail: string): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(
        new ChannelError(
          'CONNECT_FAILED',
          `Could not open the Session Manager data channel for ${credentials.sessionId}: ` +
            `${detail}.`,
        ),
      );
    };
    socket.once('error', (error: NodeJS.ErrnoException) => fail(describeSocketError(error)));
    socket.once('unexpected-response', (_request, response) => {
      fail(`the server answered HTTP ${response.statusCode} instead of a websocket upgrade`);
    });
    socket.once('open', () => {
      socket.removeAllListeners('error');
      socket.removeAllListeners('unexpected-response');
      socket.send(openFrame(options), (error) => {
        if (error) fail('the open frame could not be sent');
        else resolve(socket);
      });
    });
  });
}

function openFrame(options: SocketOptions): string {
  return JSON.stringify({
    MessageSchemaVersion: '1.0',
    RequestId: randomUUID(),
    TokenValue: options.credentials.tokenValue,
    ClientId: options.clientId,
    ClientVersion: options.clientVersion,
  });
}

/** Describes a socket error by its code, never by its message (which may quote the URL). */
function describeSocketError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return 'the connection was refused';
  if (error.code === 'ENOTFOUND') return 'the host name could not be resolved';
  if (error.code === 'ETIMEDOUT') return 'the connection timed out';
  if (error.code === 'ECONNRESET') return 'the connection was reset';
  if (/handshake has timed out/i.test(error.message)) return 'the websocket upgrade timed out';
  return error.code ? `socket error ${error.code}` : 'the websocket upgrade failed';
}
