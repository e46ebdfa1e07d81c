// Typed failures of the ssh layer. Each has a stable code and a message that says what failed,
// names the file, and says what to do. None carries key material: only paths and aliases.

export type SshErrorCode =
  | 'BLOCK_DAMAGED'
  | 'CONFIG_CHANGED'
  | 'LOCK_TIMEOUT'
  | 'UNSAFE_VALUE'
  | 'KEY_NOT_FOUND'
  | 'KEYGEN_FAILED';

export class SshConfigError extends Error {
  override name = 'SshConfigError';

  constructor(
    readonly code: SshErrorCode,
    message: string,
  ) {
    super(message);
  }
}
