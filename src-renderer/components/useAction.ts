import { useCallback, useState } from 'react';

/**
 * One operator action at a time: `busy` while it runs (buttons disable themselves), its failure in
 * `error` for an ErrorBox (cleared when the next action starts). `run` resolves true when the
 * action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
