/**
 * The scan controls on screen, by slot: the documents screen's shortcuts (Alt+S, Alt+R) start a
 * job in the current document through the same control a click would use.
 */
type Starter = (maxPages: number | null) => void;
const starters = new Map<string, Starter>();

export function registerScanStarter(slotId: string, start: Starter): () => void {
  starters.set(slotId, start);
  return () => {
    if (starters.get(slotId) === start) starters.delete(slotId);
  };
}

export function startScan(slotId: string, maxPages: number | null): boolean {
  const start = starters.get(slotId);
  start?.(maxPages);
  return Boolean(start);
}
