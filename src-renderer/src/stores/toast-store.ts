import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from './app-store';

/** A button a toast offers ("Undo"), for as long as the toast is shown. */
export interface ToastAction {
  label: string;
  run(): void;
}

/** A short message about something just done ("✓ Enabled 7 users"), tied to the place it was said. */
export interface Toast {
  id: number;
  /** Where it was said: a screen (`users`, `settings`…) or an open user (`user:<id>`). */
  place: string;
  text: string;
  action?: ToastAction;
}

/** How long a toast stays; one with an action (Undo) stays a little longer so it can be reached. */
export const TOAST_MS = 5000;
export const TOAST_ACTION_MS = 8000;

interface ToastState {
  toasts: Toast[];
  /** Shows a message at a place; it goes after a few seconds, or when the person moves elsewhere. Returns its id. */
  say(place: string, text: string, action?: ToastAction): number;
  dismiss(id: number): void;
}

const timers = new Map<number, ReturnType<typeof setTimeout>>();
let nextId = 1;

/** The place the window shows now: the open user, or the screen. */
export function currentPlace(): string {
  const { screen, userId } = useAppStore.getState();
  return screen === 'users' && userId ? `user:${userId}` : screen;
}

/** Success messages for every screen: one mechanism that expires them and clears them on navigation. */
export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  say: (place, text, action) => {
    const id = nextId++;
    set(({ toasts }) => ({ toasts: [...toasts.filter((t) => !(t.place === place && t.text === text)), { id, place, text, ...(action ? { action } : {}) }] }));
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), action ? TOAST_ACTION_MS : TOAST_MS),
    );
    return id;
  },
  dismiss: (id) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    set(({ toasts }) => ({ toasts: toasts.filter((t) => t.id !== id) }));
  },
}));

// A message belongs to where it was said: moving to another screen or user clears the others.
let shownPlace = currentPlace();
useAppStore.subscribe(() => {
  const place = currentPlace();
  if (place === shownPlace) return;
  shownPlace = place;
  const { toasts, dismiss } = useToastStore.getState();
  for (const toast of toasts) if (toast.place !== place) dismiss(toast.id);
});

/** The toasts said at a place. */
export const usePlaceToasts = (place: string) => useToastStore(useShallow((s) => s.toasts.filter((t) => t.place === place)));

/** Clears every toast and timer (tests). */
export function resetToasts(): void {
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
  shownPlace = currentPlace();
  useToastStore.setState({ toasts: [] });
}
