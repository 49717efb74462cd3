import { describe, expect, it } from 'vitest';
import { debugAccessMessage, forbiddenDebugAccess } from './debug-switches';

describe('debugging access in a packaged app', () => {
  it('finds inspector and remote-debugging switches and the variables that open main to a debugger', () => {
    const argv = ['/opt/Roster/roster', '--inspect=9229', '--remote-debugging-port=9222', '--data-dir=/tmp/x', '--js-flags=--allow-natives-syntax'];
    expect(forbiddenDebugAccess(argv, { NODE_OPTIONS: '--inspect', ELECTRON_RUN_AS_NODE: '' }, true)).toEqual([
      '--inspect',
      '--remote-debugging-port',
      '--js-flags',
      'NODE_OPTIONS',
    ]);
    expect(forbiddenDebugAccess(['/opt/Roster/roster', '--inspect-brk'], { ELECTRON_RUN_AS_NODE: '1' }, true)).toEqual(['--inspect-brk', 'ELECTRON_RUN_AS_NODE']);
    expect(debugAccessMessage(['--inspect'])).toBe(
      'Roster does not start with debugging access (--inspect): it would expose the directory passwords it holds. Start it without it.',
    );
  });

  it('leaves a plain start alone, and leaves development tools to the developer', () => {
    expect(forbiddenDebugAccess(['/opt/Roster/roster', '--data-dir=/tmp/x', '--inspector-style-lookalike'], {}, true)).toEqual([]);
    expect(forbiddenDebugAccess(['electron', '--inspect'], { NODE_OPTIONS: '--inspect' }, false)).toEqual([]);
  });
});
