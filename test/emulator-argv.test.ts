// The emulator splits commands into argv with the rules of github.com/google/shlex, which the
// SSM agent uses for NonInteractiveCommands and in container mode.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ArgvSplitError, splitArgv } from './emulator/argv-split.js';

const cases: [string, string, string[]][] = [
  ['words split on spaces, tabs, CR and LF', 'a  b\tc\r\nd', ['a', 'b', 'c', 'd']],
  ['single quotes keep everything, backslashes too', String.raw`'a "b" \n $c'`, ['a "b" \\n $c']],
  ['a backslash inside single quotes stays', String.raw`'tail\'`, ['tail\\']],
  ['double quotes drop the backslash before any character', String.raw`"\a\"\\\$"`, ['a"\\$']],
  ['a backslash outside quotes escapes a space', String.raw`one\ word`, ['one word']],
  ['a backslash before a newline keeps the newline', 'x\\\ny', ['x\ny']],
  ['adjacent quoted and bare parts join', String.raw`pre'mid'"end"`, ['premidend']],
  ['empty quotes give an empty word', `'' ""`, ['', '']],
  ['# starting a word is a comment to the end of the line', 'a # b c\nd', ['a', 'd']],
  ['# inside a word is literal', 'seven#eight', ['seven#eight']],
  [
    'nothing is expanded or interpreted',
    '$HOME ~ * a|b; c && d > e',
    ['$HOME', '~', '*', 'a|b;', 'c', '&&', 'd', '>', 'e'],
  ],
  ['non-ASCII characters pass through', `'héllo wörld' ✓`, ['héllo wörld', '✓']],
  ['an empty line has no words', '  \n ', []],
];

for (const [name, input, expected] of cases) {
  test(`argv split: ${name}`, () => {
    assert.deepEqual(splitArgv(input), expected);
  });
}

test('argv split: an unterminated quote is an error', () => {
  assert.throws(() => splitArgv(`echo 'open`), {
    name: ArgvSplitError.name,
    message: 'EOF found when expecting closing quote',
  });
  assert.throws(() => splitArgv(`echo "open`), /EOF found when expecting closing quote/);
});

test('argv split: a trailing backslash is an error', () => {
  assert.throws(() => splitArgv('echo \\'), /EOF found after escape character/);
});
