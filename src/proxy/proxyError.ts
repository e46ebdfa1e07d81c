// A failure the proxy reports as one line: a stable code and a sentence that names the fix.

export class ProxyError extends Error {
  override name = 'ProxyError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The code of any error the core raises, or UNEXPECTED. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
  const name = (error as Error).name;
  if (name === 'CredentialsProviderError') return 'NO_CREDENTIALS';
  return 'UNEXPECTED';
}
