// Which zone the Finder shows times in: the viewer's (default), the site's, or each record's own; remembered in this browser.
import { useCallback, useState } from 'react';
import { browserTimeZone, isValidTimeZone } from '../lib/datetime';

export type ZoneMode = 'viewer' | 'site' | 'record';
const STORAGE_KEY = 'ims.finder.timeZone';
const MODES: readonly ZoneMode[] = ['viewer', 'site', 'record'];

export interface DisplayZone {
  mode: ZoneMode;
  /** The zone every row is shown in; null when each record shows its own. */
  zone: string | null;
}

function loadMode(): ZoneMode {
  const saved = localStorage.getItem(STORAGE_KEY);
  return MODES.find((m) => m === saved) ?? 'viewer';
}

/** The remembered choice, falling back to the viewer's zone where the site has none configured. */
export function useDisplayZone(siteZone: string | null | undefined) {
  const [chosen, setChosen] = useState<ZoneMode>(loadMode);
  const site = siteZone && isValidTimeZone(siteZone) ? siteZone : null;
  const mode: ZoneMode = chosen === 'site' && !site ? 'viewer' : chosen;
  const display: DisplayZone = { mode, zone: mode === 'record' ? null : mode === 'site' ? site : browserTimeZone() };
  const choose = useCallback((next: ZoneMode) => {
    localStorage.setItem(STORAGE_KEY, next);
    setChosen(next);
  }, []);
  return { display, siteZone: site, choose };
}

export function ZoneSwitch({ display, siteZone, onChange }: {
  display: DisplayZone;
  siteZone: string | null;
  onChange: (mode: ZoneMode) => void;
}) {
  return (
    <div className="zone-switch">
      <label htmlFor="finder-zone">Times in</label>
      <select id="finder-zone" value={display.mode} onChange={(e) => onChange(e.target.value as ZoneMode)}>
        <option value="viewer">your time zone ({browserTimeZone()})</option>
        {siteZone && <option value="site">the site’s time zone ({siteZone})</option>}
        <option value="record">each interaction’s own zone</option>
      </select>
    </div>
  );
}
