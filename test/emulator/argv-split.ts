// Splits a command line into argv the way the SSM agent does for NonInteractiveCommands and for
// every command in container mode (ECS): the agent uses github.com/google/shlex and then execs the
// words directly, with no shell. The rules, re-implemented here from their description:
//
// * Words are separated by runs of space, tab, CR or LF.
// * '…' keeps everything literally up to the next single quote.
// * "…" keeps everything literally except a backslash, which takes the next character literally
//   and is itself dropped: "a\b" is `ab`, "\$x" is `$x`, "\\" is `\` (POSIX sh would keep `a\b`).
// * Outside quotes a backslash takes the next character literally, a newline included (no line
//   continuation): `a\ b` is one word `a b`.
// * Quoted and unquoted parts next to each other join into one word; '' and "" give an empty word.
// * `#` at the start of a word starts a comment up to the next LF; inside a word it is literal.
// * Nothing is expanded: `$HOME`, `*`, `~`, `|`, `;`, `&&`, `>` are ordinary characters.
// * An unterminated quote or a trailing backslash is an error (the agent refuses the command).

export class ArgvSplitError extends Error {
  override name = 'ArgvSplitError';
}

const SPACE = new Set([' ', '\t', '\r', '\n']);

type State = 'between' | 'word' | 'single' | 'double' | 'comment';

export function splitArgv(command: string): string[] {
  const words: string[] = [];
  let state: State = 'between';
  let word = '';
  const chars = Array.from(command);

  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    switch (state) {
      case 'comment':
        if (char === '\n') state = 'between';
        break;
      case 'single':
        if (char === "'") state = 'word';
        else word += char;
        break;
      case 'double':
        if (char === '"') state = 'word';
        else if (char === '\\') word += escaped(chars, ++i);
        else word += char;
        break;
      case 'between':
      case 'word':
        if (SPACE.has(char)) {
          if (state === 'word') words.push(word);
          word = '';
          state = 'between';
        } else if (char === '#' && state === 'between') {
          state = 'comment';
        } else {
          state = 'word';
          if (char === "'") state = 'single';
          else if (char === '"') state = 'double';
          else if (char === '\\') word += escaped(chars, ++i);
          else word += char;
        }
        break;
    }
  }

  if (state === 'single' || state === 'double') {
    throw new ArgvSplitError('EOF found when expecting closing quote');
  }
  if (state === 'word') words.push(word);
  return words;
}

function escaped(chars: string[], index: number): string {
  if (index >= chars.length) throw new ArgvSplitError('EOF found after escape character');
  return chars[index];
}
