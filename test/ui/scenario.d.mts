import type { ChildProcess } from 'node:child_process';
import type { FixtureServer } from '../../src/testing/index.js';

export const BIN: string;
export const CANARY: string;
export const SESSION_ID: string;
export const SESSION_STEPS: number;
export const CHAT_PIECES: string[];
export function writeFinishedSession(sessionsDir: string): Promise<void>;
export function startChatModel(): Promise<FixtureServer>;
export function writeConfig(cwd: string, baseUrl: string): void;
export interface RunningUi {
  url: string;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  stop(): Promise<number | null>;
}
export function startUi(options: {
  cwd: string;
  sessionsDir: string;
  baseUrl: string;
  extraArgs?: string[];
}): Promise<RunningUi>;
export function chromiumPath(): string;
