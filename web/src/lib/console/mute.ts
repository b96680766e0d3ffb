const KEY = 'vigie.muted';

/** Whether the operator muted the critical-alert sound (remembered in this browser). */
export function loadMuted(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function saveMuted(muted: boolean): void {
  try {
    globalThis.localStorage?.setItem(KEY, muted ? '1' : '0');
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}
