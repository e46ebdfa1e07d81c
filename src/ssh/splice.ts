// Splices our block into the raw text of an ssh config. The text is the file's bytes decoded as
// latin1 (one char per byte), so every byte outside our block goes back out unchanged whatever
// its encoding; our own lines are UTF-8. Nothing outside the block is ever parsed or rewritten.

import { SshConfigError } from './errors.js';
import {
  BEGIN_PREFIX,
  END_PREFIX,
  parseSections,
  renderBlock,
  type HostSection,
} from './hostBlock.js';

const BOM = '\xef\xbb\xbf';

interface Line {
  start: number;
  end: number;
  /** Without its line ending, BOM or surrounding blanks. */
  content: string;
}

export interface BlockLocation {
  start: number;
  end: number;
  sections: HostSection[];
  /** The line ending the block's own begin line used. */
  eol: string;
}

/** Where our block is, or undefined when there is none. Throws when the markers are damaged. */
export function locateBlock(text: string, fileName: string): BlockLocation | undefined {
  const lines = splitLines(text);
  const begins = lines.filter((line) => line.content.startsWith(BEGIN_PREFIX));
  const ends = lines.filter((line) => line.content.startsWith(END_PREFIX));
  if (begins.length === 0 && ends.length === 0) return undefined;

  const [begin] = begins;
  const [end] = ends;
  if (begins.length !== 1 || ends.length !== 1 || end.start < begin.start) {
    throw damaged(fileName, text, begins, ends);
  }
  const interior = lines.filter((line) => line.start > begin.start && line.start < end.start);
  const decoded = interior.map((line) => fromBinary(text.slice(line.start, line.end)));
  return {
    start: begin.start === 0 && text.startsWith(BOM) ? BOM.length : begin.start,
    end: end.end,
    sections: uniqueSections(parseSections(decoded.map(stripEol))),
    eol: text.slice(begin.start, begin.end).endsWith('\r\n') ? '\r\n' : '\n',
  };
}

/** The text with these sections added or replaced (by alias), block kept at the top. */
export function upsertSections(text: string, updates: HostSection[], fileName: string): string {
  const found = locateBlock(text, fileName);
  const sections = [...(found?.sections ?? [])];
  for (const update of updates) {
    const index = sections.findIndex((section) => section.alias === update.alias);
    if (index === -1) sections.push(update);
    else sections[index] = update;
  }
  return placeBlock(text, found, sections);
}

/** The text without this alias; without the whole block when it was the last one. */
export function removeSection(text: string, alias: string, fileName: string): string {
  const found = locateBlock(text, fileName);
  if (!found || !found.sections.some((section) => section.alias === alias)) return text;

  const rest = found.sections.filter((section) => section.alias !== alias);
  return placeBlock(text, found, rest);
}

/** The text outside our block, exactly as the user wrote it. */
export function outsideBlock(text: string, fileName: string): string {
  const found = locateBlock(text, fileName);
  return found ? text.slice(0, found.start) + text.slice(found.end) : text;
}

/**
 * Our block goes first, after a BOM if there is one. ssh keeps the first value it obtains for an
 * option, and everything above the block is read first for every host (global options before
 * the first Host line, an Include, `Host *`, `Match all`), so anything above could override us.
 * The block ends with `Host *`, so lines that were global before it still apply to every host.
 * A block preceded only by blank and comment lines stays; one with settings above moves up.
 */
function placeBlock(text: string, found: BlockLocation | undefined, sections: HostSection[]) {
  const outside = found ? text.slice(0, found.start) + text.slice(found.end) : text;
  if (sections.length === 0) return outside;

  const eol = detectEol(outside) ?? found?.eol ?? '\n';
  const block = toBinary(renderBlock(sections, eol));
  const stays = found !== undefined && onlyCommentsBefore(text, found.start);
  const at = stays ? found.start : outside.startsWith(BOM) ? BOM.length : 0;
  return outside.slice(0, at) + block + outside.slice(at);
}

function onlyCommentsBefore(text: string, offset: number): boolean {
  return splitLines(text.slice(0, offset)).every(
    (line) => line.content === '' || line.content.startsWith('#'),
  );
}

function detectEol(text: string): string | undefined {
  const newline = text.indexOf('\n');
  if (newline === -1) return undefined;
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    const raw = text.slice(start, end);
    const content = (start === 0 ? raw.replace(BOM, '') : raw).trim();
    lines.push({ start, end, content });
    start = end;
  }
  return lines;
}

function uniqueSections(sections: HostSection[]): HostSection[] {
  return sections.filter(
    (section, i) => sections.findIndex((other) => other.alias === section.alias) === i,
  );
}

function damaged(fileName: string, text: string, begins: Line[], ends: Line[]): SshConfigError {
  const lineOf = (line: Line) => text.slice(0, line.start).split('\n').length;
  const where = [
    ...begins.map((line) => `begin marker on line ${lineOf(line)}`),
    ...ends.map((line) => `end marker on line ${lineOf(line)}`),
  ].join(', ');
  return new SshConfigError(
    'BLOCK_DAMAGED',
    `The ecs-remote-ssh block in '${fileName}' is damaged (${where}), so it was left as it is. ` +
      `Open '${fileName}' and keep exactly one '${BEGIN_PREFIX} ...' line above one ` +
      `'${END_PREFIX} <<<' line, or delete both markers and the Host entries between them; ` +
      'then try again.',
  );
}

function stripEol(line: string): string {
  return line.replace(/\r?\n$/, '');
}

export function toBinary(utf8: string): string {
  return Buffer.from(utf8, 'utf8').toString('latin1');
}

export function fromBinary(binary: string): string {
  return Buffer.from(binary, 'latin1').toString('utf8');
}
