// Typed failures of the data channel. Each has a stable code and a message that says what
// failed and what to do; none carries a token or a stream URL.

export type ChannelErrorCode =
  | 'HANDSHAKE_TIMEOUT'
  | 'KMS_NOT_SUPPORTED'
  | 'HANDSHAKE_FAILED'
  | 'TOKEN_REJECTED'
  | 'CONNECT_FAILED'
  | 'RECONNECT_FAILED'
  | 'SESSION_EXPIRED'
  | 'PEER_NOT_ACKNOWLEDGING'
  | 'CHANNEL_CLOSED'
  | 'PROTOCOL_ERROR'
  | 'CANCELLED';

export class ChannelError extends Error {
  override name = 'ChannelError';

  constructor(
    readonly code: ChannelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
