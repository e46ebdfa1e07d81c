// A stable code and one readable sentence for any error: our core's own codes, AWS's error
// names (ClusterNotFoundException), and UNEXPECTED for the rest.

export interface ErrorText {
  code: string;
  message: string;
}

export function describeError(error: unknown): ErrorText {
  if (!(error instanceof Error)) return { code: 'UNEXPECTED', message: String(error) };
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string' && /^[A-Z][A-Z0-9_]+$/.test(own)) {
    return { code: own, message: error.message };
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined || /Exception$/.test(error.name)) {
    const code = error.name && error.name !== 'Error' ? error.name : 'UNEXPECTED';
    return { code, message: error.message || code };
  }
  return { code: 'UNEXPECTED', message: error.message };
}
