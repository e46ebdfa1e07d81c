// The environment every test that talks to AWS runs with: our emulator on 127.0.0.1, fake
// static credentials, no metadata service, no shared config files. It fails loudly rather
// than let the SDK fall back to a default endpoint.

import { SSMClient } from '@aws-sdk/client-ssm';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const FAKE_ACCESS_KEY = 'AKIAEMULATOR00000000';
export const FAKE_SECRET_KEY = 'emulator-secret-key-that-must-never-be-printed';

/** Environment variables for a child process (the proxy, ssh) that talks to the emulator. */
export function emulatorEnv(endpoint: string): Record<string, string> {
  assertLoopback(endpoint);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_')) env[key] = value;
  }
  return {
    ...env,
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_ENDPOINT_URL_ECS: endpoint,
    AWS_ENDPOINT_URL_IAM: endpoint,
    AWS_ENDPOINT_URL_STS: endpoint,
    // Never used while an SSO token is expired or missing; aimed here all the same.
    AWS_ENDPOINT_URL_SSO: endpoint,
    AWS_ENDPOINT_URL_SSO_OIDC: endpoint,
    AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_KEY,
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/** Points this process's SDK at the emulator (for clients built from the default chain). */
export function useEmulatorInProcess(endpoint: string): void {
  const env = emulatorEnv(endpoint);
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('AWS_')) delete process.env[key];
  }
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('AWS_')) process.env[key] = value;
  }
}

export function ssmClient(endpoint: string): SSMClient {
  assertLoopback(endpoint);
  return new SSMClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET_KEY },
    maxAttempts: 3,
  });
}

function assertLoopback(endpoint: string): void {
  const host = new URL(endpoint).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`Refusing to aim tests at ${host}: only the emulator on loopback is allowed.`);
  }
}
