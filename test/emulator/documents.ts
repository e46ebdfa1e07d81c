// The Session Manager documents the emulator knows, and what each becomes on the wire (notes §6.1,
// §7.2): the session type, the Port properties after parameter substitution, or the command.

import type { SessionType } from './agent.js';
import { ApiError } from './api-error.js';
import type { PortProperties } from './port.js';

export interface ResolvedDocument {
  documentName: string;
  sessionType: SessionType;
  properties?: PortProperties;
  command?: string;
}

type Parameters = Record<string, string[]>;

export function resolveDocument(name: unknown, rawParameters: unknown): ResolvedDocument {
  const parameters = readParameters(rawParameters);
  const first = (key: string, fallback: string) => parameters[key]?.[0] ?? fallback;

  switch (name) {
    case 'AWS-StartSSHSession':
      return {
        documentName: name,
        sessionType: 'Port',
        properties: { portNumber: first('portNumber', '22') },
      };
    case 'AWS-StartPortForwardingSession':
      return {
        documentName: name,
        sessionType: 'Port',
        properties: {
          portNumber: first('portNumber', '80'),
          type: 'LocalPortForwarding',
          localPortNumber: first('localPortNumber', '0'),
        },
      };
    case 'AWS-StartNonInteractiveCommand':
      if (parameters.command?.[0] === undefined) {
        throw new ApiError('ValidationException', `Document ${name} needs the parameter command`);
      }
      return {
        documentName: name,
        sessionType: 'NonInteractiveCommands',
        command: first('command', ''),
      };
    case undefined:
      throw new ApiError('InvalidDocument', 'Shell sessions (no DocumentName) are not emulated');
    default:
      throw new ApiError('InvalidDocument', `Document with name ${String(name)} does not exist.`);
  }
}

function readParameters(value: unknown): Parameters {
  if (value === undefined || value === null) return {};
  const valid =
    typeof value === 'object' &&
    Object.values(value).every((list) => Array.isArray(list) && list.every(isString));
  if (!valid) {
    throw new ApiError('ValidationException', 'Parameters must map names to lists of strings');
  }
  return value as Parameters;
}

const isString = (item: unknown): item is string => typeof item === 'string';
