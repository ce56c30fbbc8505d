/**
 * The operator's step timer's colour, written once (pure, importable by the renderer): calm before
 * `nearMs`, amber from it, red only past the norm; a step without a norm stays calm.
 */
export type TimerState = 'ok' | 'near' | 'over';

export function timerState(elapsedMs: number, t: { normMs: number | null; nearMs: number | null }): TimerState {
  if (t.normMs === null) return 'ok';
  if (elapsedMs > t.normMs) return 'over';
  return t.nearMs !== null && elapsedMs >= t.nearMs ? 'near' : 'ok';
}
