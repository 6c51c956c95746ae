import { BATCH } from './batch-script.js';

/**
 * The store's Lua scripts by name, each run by EVALSHA (connection.ts). Each starts with the ledger's
 * PROLOGUE (prologue.ts: arguments, state, time, expiry). `batch` runs a process's operations.
 */
export const SCRIPTS = { batch: BATCH } as const;
export type ScriptName = keyof typeof SCRIPTS;
