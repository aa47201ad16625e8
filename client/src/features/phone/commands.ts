import { phone } from '../../app/root';
import { appStore, useAppStore } from '../../app/store';

/**
 * The seat page's view of the softphone (features/phone): whether a call rings at the
 * phone, and the answer/decline/hang-up commands the screen pop and the shortcuts use.
 * A command that does not fit the phone's state (F9 with no call up) does nothing.
 */
export const phoneCommands = {
  answer: () => {
    const incoming = appStore.getState().phone.incoming;
    if (incoming && !incoming.answering) phone.answer();
  },
  decline: () => {
    if (appStore.getState().phone.incoming) phone.decline();
  },
  hangup: () => {
    if (appStore.getState().phone.active) phone.hangup();
  },
};

export function usePhoneRinging(): boolean {
  return useAppStore((s) => s.phone.incoming !== null);
}
export function usePhoneAnswering(): boolean {
  return useAppStore((s) => s.phone.incoming?.answering === true);
}
export function usePhoneRegistered(): boolean {
  return useAppStore((s) => s.phone.registration === 'registered');
}
