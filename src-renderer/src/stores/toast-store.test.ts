import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from './app-store';
import { resetToasts, TOAST_ACTION_MS, TOAST_MS, useToastStore } from './toast-store';

const texts = () => useToastStore.getState().toasts.map((t) => `${t.place}: ${t.text}`);
const say = (place: string, text: string, undo?: () => void) => useToastStore.getState().say(place, text, undo && { label: 'Undo', run: undo });

beforeEach(() => {
  vi.useFakeTimers();
  useAppStore.setState({ screen: 'users', userId: null });
  resetToasts();
});
afterEach(() => vi.useRealTimers());

describe('success messages', () => {
  it('go after a few seconds; one offering Undo stays a little longer', () => {
    say('users', 'Enabled 7 users');
    say('users', 'Disabled 2 users', () => undefined);
    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(texts()).toEqual(['users: Enabled 7 users', 'users: Disabled 2 users']);
    vi.advanceTimersByTime(1);
    expect(texts()).toEqual(['users: Disabled 2 users']);
    vi.advanceTimersByTime(TOAST_ACTION_MS - TOAST_MS);
    expect(texts()).toEqual([]);
  });

  it('belong to the place they were said: another screen or another user clears them', () => {
    say('users', 'Enabled 7 users');
    useAppStore.getState().go('settings');
    expect(texts()).toEqual([]);

    useAppStore.getState().openUser('u1');
    say('user:u1', 'Saved');
    useAppStore.getState().openUser('u2');
    expect(texts()).toEqual([]);

    // A message said for the place being shown stays when nothing moved.
    say('user:u2', 'Saved');
    useAppStore.setState({ info: null });
    expect(texts()).toEqual(['user:u2: Saved']);
    useAppStore.getState().closeUser();
    expect(texts()).toEqual([]);
  });

  it('the same message again replaces the earlier one instead of stacking', () => {
    say('users', 'Saved');
    say('users', 'Saved');
    expect(texts()).toEqual(['users: Saved']);
  });
});

describe('the Users item of the sidebar', () => {
  it('shows the list, not the user last open, from another screen too', () => {
    useAppStore.getState().openUser('u1');
    useAppStore.getState().go('reports');
    useAppStore.getState().go('users');
    expect(useAppStore.getState()).toMatchObject({ screen: 'users', userId: null });
  });
});
