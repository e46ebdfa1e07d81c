// Quoting for the two places our values land in an ssh config line.
//
// Every line is first split by OpenSSH's argv_split: double and single quotes group, and a
// backslash escapes a quote, a backslash or (outside quotes) a space; unbalanced quotes make ssh
// reject the whole file. ProxyCommand then keeps the raw rest of the line, expands its `%` tokens
// (so a literal `%` is written `%%`), and runs it:
// - POSIX ssh: `$SHELL -c "exec <command>"`. Single-quoted runs, with quotes and backslashes
//   kept outside them as `\'` and `\\`: tested with sh, dash and bash, and zsh, ksh, fish and
//   csh read such words by the same rules;
// - Windows OpenSSH: CreateProcess with the line as is when it starts with a double quote (it
//   wraps the line in quotes itself otherwise, which breaks it); the program then splits its own
//   arguments by the Microsoft C runtime rules. No cmd.exe is involved. Paths get forward
//   slashes, so Git for Windows' ssh, which runs the line through sh, reads them intact too.
// Path-valued options (IdentityFile, UserKnownHostsFile) take one argv_split word and expand
// `%` tokens and `${VAR}`, so `%` is doubled and `${` is refused: ssh has no escape for it.

import { SshConfigError } from './errors.js';

export type SshPlatform = 'posix' | 'win32';

const POSIX_SAFE = /^[A-Za-z0-9_\-.,:/@+]+$/;
const WINDOWS_SAFE = /^[A-Za-z0-9_\-.,:/@+=]+$/;
const CONFIG_SAFE = /^[^\s"'\\#]+$/;

/** The ProxyCommand value for an argv, already `%`-escaped for ssh. */
export function renderProxyCommand(argv: readonly string[], platform: SshPlatform): string {
  if (argv.length === 0) throw unsafe('The proxy command is empty.');
  argv.forEach((arg, i) => assertPrintable(arg, `proxy command argument ${i + 1}`));

  const line = platform === 'win32' ? windowsCommandLine(argv) : posixCommandLine(argv);
  return escapePercent(line);
}

/** One option value (a path) as ssh reads it back unchanged, `%` and `~` left literal. */
export function renderConfigPath(path: string, platform: SshPlatform): string {
  assertPrintable(path, 'path');
  if (path.includes('${')) {
    throw unsafe(`The path '${path}' contains '\${', which ssh would expand. Choose another.`);
  }
  const value = escapePercent(platform === 'win32' ? forwardSlashes(path) : path);
  return CONFIG_SAFE.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** A plain option value (user name, alias). Our values never need quotes; refuse the odd one. */
export function renderConfigWord(value: string, what: string): string {
  assertPrintable(value, what);
  if (!/^[A-Za-z0-9_.@-]+$/.test(value)) {
    throw unsafe(`The ${what} '${value}' has characters ssh cannot take here.`);
  }
  return value;
}

/** POSIX sh quoting that OpenSSH's argv_split also reads as balanced. */
export function posixQuote(arg: string): string {
  if (POSIX_SAFE.test(arg)) return arg;
  if (arg === '') return "''";

  // Quotes and backslashes go outside the single-quoted runs, escaped with a backslash: sh and
  // argv_split both read `\'` and `\\` that way, and neither ever sees a backslash inside quotes.
  return arg
    .split(/(['\\])/)
    .filter((piece) => piece !== '')
    .map((piece) => (piece === "'" || piece === '\\' ? `\\${piece}` : `'${piece}'`))
    .join('');
}

/** Microsoft C runtime quoting: backslashes are literal unless they come before a quote. */
export function windowsQuote(arg: string): string {
  if (WINDOWS_SAFE.test(arg)) return arg;

  const body = arg
    .replace(/(\\*)"/g, (_match, slashes: string) => `${slashes}${slashes}\\"`)
    .replace(/(\\+)$/, '$1$1');
  return `"${body}"`;
}

function posixCommandLine(argv: readonly string[]): string {
  return argv.map(posixQuote).join(' ');
}

function windowsCommandLine(argv: readonly string[]): string {
  const [program, ...args] = argv.map(windowsPathArg);
  if (program.includes('"')) throw unsafe(`The program path '${program}' contains a quote.`);

  // The program is always quoted: Windows OpenSSH passes the line through only then.
  return [`"${program}"`, ...args.map(windowsQuote)].join(' ');
}

/** Absolute Windows paths get forward slashes, which every Windows ssh build passes intact. */
function windowsPathArg(arg: string): string {
  const absolute = /^[A-Za-z]:[\\/]/.test(arg) || /^\\\\[^?.]/.test(arg);
  return absolute ? forwardSlashes(arg) : arg;
}

function forwardSlashes(path: string): string {
  return path.startsWith('\\\\?\\') ? path : path.replace(/\\/g, '/');
}

function escapePercent(text: string): string {
  return text.replace(/%/g, '%%');
}

function assertPrintable(value: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    throw unsafe(`The ${what} contains a line break or control character; ssh cannot take it.`);
  }
}

function unsafe(message: string): SshConfigError {
  return new SshConfigError('UNSAFE_VALUE', message);
}
