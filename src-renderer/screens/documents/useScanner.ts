import { useCallback, useEffect, useState } from 'react';
import type { OpOutput } from '../../../src-main/contract/operations';
import { call } from '../../api/client';

/**
 * The scanner as the documents screen needs it: whether one is there (asked when the screen opens;
 * the scanner worker may still be starting: null until it answers), its profiles, the chosen
 * profile, and which slots are scanning now.
 */
export function useScanner() {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [profiles, setProfiles] = useState<OpOutput<'scan.profiles'>['profiles']>([]);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [scanningSlots, setScanningSlots] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    call('scan.status', {})
      .then((s) => live && setAvailable(s.sane === 'available'))
      .catch(() => live && setAvailable(false));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => {
    if (!available) return;
    call('scan.profiles', {})
      .then((p) => {
        setProfiles(p.profiles);
        setProfileId((cur) => cur ?? p.profiles[0]?.id ?? null);
      })
      .catch(() => {});
  }, [available]);
  const setScanning = useCallback((slotId: string, busy: boolean) => {
    setScanningSlots((prev) => {
      if (prev.has(slotId) === busy) return prev;
      const next = new Set(prev);
      if (busy) next.add(slotId);
      else next.delete(slotId);
      return next;
    });
  }, []);
  return { available, profiles, profileId, setProfileId, scanning: scanningSlots.size > 0, setScanning };
}
