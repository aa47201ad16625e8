import { RecordingPlayer } from '../recordings';

/**
 * Where a call's recording plays on the 质检 pages: the recordings feature's player (audited
 * playback, holds and pauses on its timeline, or why there is none). Quality inspection never
 * depends on it: a call without a recording is scored all the same.
 */
export function QcRecording({ callId }: { callId: string }) {
  return <RecordingPlayer callId={callId} />;
}
