// The two things the rest of the product asks of Session Manager: carry a byte stream to a port
// in the target (the SSH stream), and run one command in it (the sshd bootstrap).

import type { CommandResult, CommandSessionOptions } from './commandSession.js';
import { runCommandSession } from './commandSession.js';
import type { PortSessionOptions, PortSessionResult } from './portSession.js';
import { runPortSession } from './portSession.js';
import { Documents, type SsmSessions } from './ssmSessions.js';

type ChannelSettings = Omit<PortSessionOptions, 'credentials' | 'resume' | 'terminate'>;

export async function connectPort(
  sessions: SsmSessions,
  target: string,
  portNumber: number,
  settings: ChannelSettings,
): Promise<PortSessionResult> {
  const credentials = await sessions.start({
    target,
    documentName: Documents.ssh,
    parameters: { portNumber: [String(portNumber)] },
  });
  const sessionId = credentials.sessionId;
  return runPortSession({
    ...settings,
    credentials,
    resume: (id) => sessions.resume(id),
    terminate: () => sessions.terminate(sessionId),
  });
}

type CommandSettings = Omit<CommandSessionOptions, 'credentials' | 'resume' | 'terminate'>;

export async function runCommand(
  sessions: SsmSessions,
  target: string,
  command: string,
  settings: CommandSettings = {},
): Promise<CommandResult> {
  const credentials = await sessions.start({
    target,
    documentName: Documents.command,
    parameters: { command: [command] },
  });
  const sessionId = credentials.sessionId;
  return runCommandSession({
    ...settings,
    credentials,
    resume: (id) => sessions.resume(id),
    terminate: () => sessions.terminate(sessionId),
  });
}
