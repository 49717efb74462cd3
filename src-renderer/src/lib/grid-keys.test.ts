import { describe, expect, it } from 'vitest';
import { gridKeyAction, pageRows, revealScrollTop, type GridKey } from './grid-keys';

const key = (name: string, mods: Partial<Omit<GridKey, 'key'>> = {}): GridKey => ({ key: name, shiftKey: false, ctrlKey: false, metaKey: false, ...mods });

describe('gridKeyAction', () => {
  it('moves the active row by one, a page, or to either end', () => {
    expect(gridKeyAction(key('ArrowDown'), 4, 100, 10)).toEqual({ kind: 'move', to: 5, extend: false });
    expect(gridKeyAction(key('ArrowUp'), 4, 100, 10)).toEqual({ kind: 'move', to: 3, extend: false });
    expect(gridKeyAction(key('PageDown'), 4, 100, 10)).toEqual({ kind: 'move', to: 14, extend: false });
    expect(gridKeyAction(key('PageUp'), 40, 100, 10)).toEqual({ kind: 'move', to: 30, extend: false });
    expect(gridKeyAction(key('Home'), 40, 100, 10)).toEqual({ kind: 'move', to: 0, extend: false });
    expect(gridKeyAction(key('End'), 40, 100, 10)).toEqual({ kind: 'move', to: 99, extend: false });
  });

  it('stops at the first and the last row', () => {
    expect(gridKeyAction(key('ArrowUp'), 0, 100, 10)).toEqual({ kind: 'move', to: 0, extend: false });
    expect(gridKeyAction(key('PageUp'), 3, 100, 10)).toEqual({ kind: 'move', to: 0, extend: false });
    expect(gridKeyAction(key('ArrowDown'), 99, 100, 10)).toEqual({ kind: 'move', to: 99, extend: false });
    expect(gridKeyAction(key('PageDown'), 95, 100, 10)).toEqual({ kind: 'move', to: 99, extend: false });
    expect(gridKeyAction(key('End'), 0, 1, 10)).toEqual({ kind: 'move', to: 0, extend: false });
  });

  it('extends the selection when Shift is held with any move, and only then', () => {
    for (const name of ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']) {
      expect(gridKeyAction(key(name, { shiftKey: true }), 5, 100, 10)).toMatchObject({ kind: 'move', extend: true });
      expect(gridKeyAction(key(name, { ctrlKey: true }), 5, 100, 10)).toMatchObject({ kind: 'move', extend: false });
    }
  });

  it('maps Space, Enter, Escape and Ctrl/⌘+A; a plain A and other keys are left alone', () => {
    expect(gridKeyAction(key(' '), 5, 100, 10)).toEqual({ kind: 'toggle' });
    expect(gridKeyAction(key(' ', { shiftKey: true }), 5, 100, 10)).toEqual({ kind: 'toggle' });
    expect(gridKeyAction(key('Enter'), 5, 100, 10)).toEqual({ kind: 'open' });
    expect(gridKeyAction(key('Escape'), 5, 100, 10)).toEqual({ kind: 'clear' });
    expect(gridKeyAction(key('a', { ctrlKey: true }), 5, 100, 10)).toEqual({ kind: 'select-all' });
    expect(gridKeyAction(key('A', { metaKey: true, shiftKey: true }), 5, 100, 10)).toEqual({ kind: 'select-all' });
    expect(gridKeyAction(key('a'), 5, 100, 10)).toBeNull();
    expect(gridKeyAction(key('A', { shiftKey: true }), 5, 100, 10)).toBeNull();
    expect(gridKeyAction(key('l'), 5, 100, 10)).toBeNull();
    expect(gridKeyAction(key('Tab'), 5, 100, 10)).toBeNull();
    expect(gridKeyAction(key('ArrowLeft'), 5, 100, 10)).toBeNull();
  });

  it('leaves every key alone in a grid without rows', () => {
    for (const name of ['ArrowDown', 'End', ' ', 'Enter', 'Escape']) expect(gridKeyAction(key(name), 0, 0, 10)).toBeNull();
    expect(gridKeyAction(key('a', { ctrlKey: true }), 0, 0, 10)).toBeNull();
  });
});

describe('pageRows', () => {
  it('counts the rows below the header, less one, and at least one', () => {
    expect(pageRows(520, 52, 0)).toBe(9);
    expect(pageRows(400, 52, 0)).toBe(6);
    expect(pageRows(400, 32, 32)).toBe(10);
    expect(pageRows(40, 52, 0)).toBe(1);
    expect(pageRows(0, 32, 32)).toBe(1);
  });

  it('gives the users list (32 px rows under a 32 px header) and the import results (52 px rows) the pages they had', () => {
    for (let height = 0; height <= 1200; height += 7) {
      expect(pageRows(height, 32, 32)).toBe(Math.max(1, Math.floor(height / 32) - 2));
      expect(pageRows(height, 52, 0)).toBe(Math.max(1, Math.floor(height / 52) - 1));
    }
  });
});

describe('revealScrollTop', () => {
  const view = { scrollTop: 320, clientHeight: 352 };

  it('leaves a row in view where it is', () => {
    expect(revealScrollTop(10, view, 32, 32)).toBeNull();
    expect(revealScrollTop(19, view, 32, 32)).toBeNull();
  });

  it('scrolls a row above into view at the top, just below the header', () => {
    expect(revealScrollTop(9, view, 32, 32)).toBe(288);
    expect(revealScrollTop(0, view, 32, 32)).toBe(0);
  });

  it('scrolls a row below into view at the bottom, counting the header', () => {
    // Row 20 ends at 32 + 21 × 32 = 704 in the scrolled content; the view shows up to 320 + 352 = 672.
    expect(revealScrollTop(20, view, 32, 32)).toBe(352);
    expect(revealScrollTop(20, view, 32, 0)).toBeNull();
    expect(revealScrollTop(13, { scrollTop: 0, clientHeight: 520 }, 52, 0)).toBe(208);
  });
});
