// Loads dist/extension.js in plain node with a stand-in `vscode` module and calls activate().
// Prints {"loadMs":…, "activateMs":…} or {"error":"…"}. Usage: node activateStub.mjs EXTENSION
// The stand-in answers every property with a callable that returns another stand-in; the few
// values activation reads as data (settings, strings, the extension's package.json) are real.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const extensionFile = process.argv[2];
const root = join(dirname(extensionFile), '..');
const packageJSON = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const storage = mkdtempSync(join(tmpdir(), 'ecs-remote-activate-'));

function standIn(name) {
  const target = function () {};
  const values = new Map();
  return new Proxy(target, {
    get(_t, key) {
      if (values.has(key)) return values.get(key);
      if (key === 'then' || typeof key === 'symbol') return undefined;
      if (key === 'prototype') return target.prototype;
      if (key === 'toString') return () => name;
      return standIn(`${name}.${String(key)}`);
    },
    set(_t, key, value) {
      values.set(key, value);
      return true;
    },
    apply: () => standIn(`${name}()`),
    construct: () => standIn(`new ${name}`),
  });
}

const configuration = {
  get: (_key, fallback) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: async () => undefined,
};
const uri = (path) => ({ fsPath: path, path, scheme: 'file', toString: () => `file://${path}` });
const overrides = {
  version: '1.90.0',
  env: new Proxy(
    { appName: 'Visual Studio Code', remoteName: undefined, uiKind: 1 },
    {
      get: (t, key) => (key in t ? t[key] : standIn(`env.${String(key)}`)),
    },
  ),
  workspace: new Proxy(
    { getConfiguration: () => configuration, workspaceFolders: undefined },
    {
      get: (t, key) => (key in t ? t[key] : standIn(`workspace.${String(key)}`)),
    },
  ),
  extensions: { getExtension: () => undefined, all: [] },
  Uri: { file: uri, joinPath: (base, ...parts) => uri(join(base.fsPath, ...parts)) },
};
// esbuild's interop builds the namespace object on the module's prototype, so names the
// module does not own are looked up here.
const fallback = new Proxy(
  {},
  {
    get(_t, key) {
      if (typeof key === 'symbol' || key === 'then' || key === '__esModule') return undefined;
      if (key in Object.prototype) return Object.prototype[key];
      return standIn(`vscode.${key}`);
    },
  },
);
const vscode = Object.assign(Object.create(fallback), overrides);

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [] };
const context = {
  subscriptions: [],
  extensionPath: root,
  extensionUri: uri(root),
  extension: { id: 'ecs-remote.ecs-remote-ssh', packageJSON, extensionPath: root },
  globalState: { ...memento, setKeysForSync: () => undefined },
  workspaceState: memento,
  secrets: {
    get: async () => undefined,
    store: async () => undefined,
    delete: async () => undefined,
  },
  globalStorageUri: uri(storage),
  storageUri: uri(storage),
  logUri: uri(storage),
  extensionMode: 1,
  asAbsolutePath: (path) => join(root, path),
};

async function main() {
  const started = process.hrtime.bigint();
  const extension = require(extensionFile);
  const loaded = process.hrtime.bigint();
  await extension.activate(context);
  const activated = process.hrtime.bigint();
  const ms = (a, b) => Number(b - a) / 1e6;
  return { loadMs: ms(started, loaded), activateMs: ms(loaded, activated) };
}

main()
  .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
  .catch((error) => process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`))
  .finally(() => {
    rmSync(storage, { recursive: true, force: true });
    process.exit(0);
  });
