/**
 * A scripted clock for the step events: the monotonic reading and the wall clock move together
 * with `advance`, and the wall clock alone with `jumpWall` (the workstation's clock set back or
 * forward). `restart` is a new run of the app (monotonic readings of the old run are not comparable).
 */
import type { StepClock } from '../../src-main/reports/step-log.js';

export interface ScriptedClock extends StepClock {
  readonly advance: (ms: number) => void;
  readonly jumpWall: (ms: number) => void;
  readonly restart: () => void;
  readonly runId: string;
}

export function scriptedClock(start = Date.parse('2026-12-01T05:00:00Z')): ScriptedClock {
  let wall = start;
  let mono = 1_000;
  let run = 1;
  return {
    get runId() {
      return `run-${run}`;
    },
    mono: () => mono,
    now: () => new Date(wall),
    advance: (ms) => {
      mono += ms;
      wall += ms;
    },
    jumpWall: (ms) => {
      wall += ms;
    },
    restart: () => {
      run++;
      mono = 50; // a new process starts its monotonic clock again
    },
  };
}
