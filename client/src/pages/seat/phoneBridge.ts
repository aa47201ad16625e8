import * as runtime from '../../runtime';
import { useAppStore } from '../../store';

/**
 * The seat page's view of the softphone: whether a call rings at the phone or is up, and
 * the answer/decline/hang-up commands of the page's phone controller.
 * TEMPORARY(phone): typed loosely until the softphone's slice and controller land in
 * store/phone.ts and runtime.ts; then this reads them directly.
 */
interface PhoneControls {
  answer(): unknown;
  decline(): unknown;
  hangup(): unknown;
}
interface PhoneView {
  incoming: { answering?: boolean } | null;
  active: unknown | null;
  registration: string;
}

const controls = (): PhoneControls | null => (runtime as unknown as { phone?: PhoneControls }).phone ?? null;
const view = (s: unknown): PhoneView | null => (s as { phone?: PhoneView }).phone ?? null;

export const phoneCommands = {
  answer: () => void controls()?.answer(),
  decline: () => void controls()?.decline(),
  hangup: () => void controls()?.hangup(),
};

export function usePhoneRinging(): boolean {
  return useAppStore((s) => view(s)?.incoming != null);
}
export function usePhoneAnswering(): boolean {
  return useAppStore((s) => view(s)?.incoming?.answering === true);
}
export function usePhoneActive(): boolean {
  return useAppStore((s) => view(s)?.active != null);
}
export function usePhoneRegistered(): boolean {
  return useAppStore((s) => view(s)?.registration === 'registered');
}
