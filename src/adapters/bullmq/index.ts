export { HISTORY_KEY, type JobHistory, userData } from './history.js';
export { type BullmqProcessorOptions, bullmqProcessor, type JobAttemptContext } from './processor.js';
