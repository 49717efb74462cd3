import type { KeyboardEvent } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gridKeyDown, type GridKeysOptions } from './use-grid-keys';

// Node has no DOM: a stand-in for the one class the handler asks about, and a plain object for the grid.
class FakeButton {}

beforeEach(() => {
  vi.stubGlobal('HTMLButtonElement', FakeButton);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

interface Press {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: unknown;
}

/** Presses a key on the grid; tells whether its default was prevented. */
function press(options: GridKeysOptions, init: Press): boolean {
  let prevented = false;
  const event = {
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target: {},
    ...init,
    preventDefault: () => {
      prevented = true;
    },
  };
  gridKeyDown(options, event as unknown as KeyboardEvent);
  return prevented;
}

function grid(over: Partial<GridKeysOptions> = {}) {
  const element = { clientHeight: 320, scrollTop: 0 };
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args]);
  const options: GridKeysOptions = {
    gridRef: { current: element as unknown as HTMLElement },
    total: 100,
    rowHeight: 32,
    activeIndex: () => 5,
    onMove: record('move'),
    onToggle: record('toggle'),
    onSelectAll: record('select-all'),
    onClear: record('clear'),
    ...over,
  };
  return { options, element, calls };
}

describe('gridKeyDown', () => {
  it('moves from the active row the store holds, with Shift extending, and scrolls the row into view', () => {
    const { options, element, calls } = grid();
    expect(press(options, { key: 'ArrowDown' })).toBe(true);
    expect(press(options, { key: 'End', shiftKey: true })).toBe(true);
    expect(calls).toEqual([
      ['move', 6, false],
      ['move', 99, true],
    ]);
    // Row 99 ends at 100 × 32 = 3200; the grid shows 320 px.
    expect(element.scrollTop).toBe(2880);
  });

  it('pages by the rows that fit below the header, less one', () => {
    const { options, calls } = grid({ headHeight: 32 });
    press(options, { key: 'PageDown' });
    // (320 − 32) / 32 = 9 rows, less one.
    expect(calls).toEqual([['move', 13, false]]);
  });

  it('hands Space to the active row and Ctrl+A to select-all, preventing their defaults', () => {
    const { options, calls } = grid();
    expect(press(options, { key: ' ' })).toBe(true);
    expect(press(options, { key: 'a', ctrlKey: true })).toBe(true);
    expect(calls).toEqual([['toggle', 5], ['select-all']]);
  });

  it('leaves Enter alone without onOpen, and opens the active row with it', () => {
    const without = grid();
    expect(press(without.options, { key: 'Enter' })).toBe(false);
    expect(without.calls).toEqual([]);
    const onOpen = vi.fn();
    const withOpen = grid({ onOpen });
    expect(press(withOpen.options, { key: 'Enter' })).toBe(true);
    expect(onOpen).toHaveBeenCalledWith(5);
  });

  it('clears on Escape always, or only while canClear says there is something to clear', () => {
    const always = grid();
    expect(press(always.options, { key: 'Escape' })).toBe(true);
    expect(always.calls).toEqual([['clear']]);
    let selected = 0;
    const guarded = grid({ canClear: () => selected > 0 });
    expect(press(guarded.options, { key: 'Escape' })).toBe(false);
    expect(guarded.calls).toEqual([]);
    selected = 2;
    expect(press(guarded.options, { key: 'Escape' })).toBe(true);
    expect(guarded.calls).toEqual([['clear']]);
  });

  it('leaves keys on a button inside the grid to it only when asked to', () => {
    const leaving = grid({ leaveButtonKeys: true });
    expect(press(leaving.options, { key: 'ArrowDown', target: new FakeButton() })).toBe(false);
    expect(press(leaving.options, { key: ' ', target: new FakeButton() })).toBe(false);
    expect(leaving.calls).toEqual([]);
    expect(press(leaving.options, { key: 'ArrowDown' })).toBe(true);
    const taking = grid();
    expect(press(taking.options, { key: 'ArrowDown', target: new FakeButton() })).toBe(true);
    expect(taking.calls).toEqual([['move', 6, false]]);
  });

  it('hands other keys to onOtherKey, and nothing at all when the grid has no rows', () => {
    const onOtherKey = vi.fn();
    const { options, calls } = grid({ onOtherKey });
    expect(press(options, { key: 'l' })).toBe(false);
    press(options, { key: 'a' });
    expect(onOtherKey.mock.calls.map(([event]) => (event as Press).key)).toEqual(['l', 'a']);
    const empty = grid({ total: 0, onOtherKey });
    onOtherKey.mockClear();
    for (const key of ['ArrowDown', ' ', 'Escape', 'l']) expect(press(empty.options, { key })).toBe(false);
    expect(onOtherKey).not.toHaveBeenCalled();
    expect(empty.calls).toEqual([]);
    expect(calls).toEqual([]);
  });
});
