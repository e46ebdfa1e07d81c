// The ssh layer's public surface: aliases, the managed Host block, its verification and the
// user's key pair. Pure: no `vscode` here.

export { ALIAS_MAX_LENGTH, hostAlias, isValidAlias, type ConnectTarget } from './alias.js';
export {
  defaultConfigPath,
  hostPlatform,
  readManagedHosts,
  removeHost,
  writeHostBlock,
  type DebugLog,
  type ManagedHost,
  type WriteOptions,
  type WriteResult,
} from './configFile.js';
export { SshConfigError, type SshErrorCode } from './errors.js';
export {
  BEGIN_MARKER,
  END_MARKER,
  renderHostBlock,
  renderHostSection,
  type HostSection,
} from './hostBlock.js';
export {
  hostEntry,
  proxyArguments,
  type HostEntry,
  type HostEntryInput,
  type ProxyLauncher,
} from './hostEntry.js';
export { defaultStateDir, ensureKeyPair, type KeyPair, type KeyPairOptions } from './keyPair.js';
export { renderConfigPath, renderProxyCommand, type SshPlatform } from './quote.js';
export { verifyWithSsh, type Conflict, type VerifyResult } from './verify.js';
