import { createStore, useStore } from 'zustand';
import type { SupervisorMessage } from '../../contract';

/** Most messages kept on screen at once (older ones drop off). */
export const MAX_SHOWN = 3;

interface MessagesState {
  messages: SupervisorMessage[];
  received: (m: SupervisorMessage) => void;
  dismiss: (id: string) => void;
  clear: () => void;
}

/**
 * Supervisors' messages to this seat ('supervisor:message-posted'), newest first. Its own small
 * store, so the seat page mounts the toast with one line; cleared on sign-out (app/socket-bindings).
 */
export const seatMessages = createStore<MessagesState>()((set) => ({
  messages: [],
  received: (m) => set((s) => ({ messages: [m, ...s.messages.filter((x) => x.id !== m.id)].slice(0, MAX_SHOWN) })),
  dismiss: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
  clear: () => set({ messages: [] }),
}));

export const useSeatMessages = () => useStore(seatMessages, (s) => s.messages);
