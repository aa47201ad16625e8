export { RecordingPlayer, type RecordingPlayerProps } from './RecordingPlayer';
export { RecordingPauseButton } from './RecordingPauseButton';
export { RecordingStoragePanel } from './RecordingStoragePanel';
export { createRecordingsApi, type RecordingsApi } from './recordings-api';
