/** What the console does from the keyboard. */
export type Command = 'up' | 'down' | 'open' | 'close' | 'ack' | 'resolve' | 'dismiss';

export type KeyInput = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The key went to a text field, a select or a button-like control that uses it. */
  inEditable: boolean;
};

const COMMANDS: Readonly<Record<string, Command>> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  Enter: 'open',
  Escape: 'close',
  a: 'ack',
  r: 'resolve',
  d: 'dismiss',
};

/** The command for a key press, or null to let the browser handle it. */
export function commandFor(input: KeyInput): Command | null {
  if (input.ctrlKey || input.metaKey || input.altKey || input.inEditable) return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  return COMMANDS[key] ?? null;
}

/** The id `delta` rows away from `current` in `ids` (clamped); the first row when none is current. */
export function moveCursor(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return ids[delta < 0 ? ids.length - 1 : 0] ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, at + delta))] ?? null;
}
