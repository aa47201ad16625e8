/**
 * Where a call's recording plays on the 质检 pages. Quality inspection never depends on
 * recordings: until the recordings feature is wired in here the slot says 无录音, and the call is
 * scored all the same. Wiring it is this one component's body:
 *   import { RecordingPlayer } from '../recordings/RecordingPlayer';
 *   return <RecordingPlayer callId={callId} />;
 */
export function QcRecording({ callId }: { callId: string }) {
  return (
    <p className="muted qc-no-recording" data-call-id={callId}>
      无录音
    </p>
  );
}
