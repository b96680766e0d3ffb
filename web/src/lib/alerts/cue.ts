import type { Alert } from '@vigie/rules';

/** New critical alerts that are not silenced call for the sound. */
export const callsForCue = (a: Alert): boolean => a.severity === 'critical' && a.status === 'open' && !a.silencedBy;

/** The page title: the number of open critical alerts first, so it shows in the tab and the task bar. */
export function titleWithCue(base: string, openCritical: number): string {
  return openCritical > 0 ? `(${openCritical}) ⚠ ${base}` : base;
}

/** A short two-tone beep made with WebAudio (no sound file). Silent until `enabled`. */
export class Beeper {
  #context: AudioContext | null = null;

  beep(): void {
    const Ctx = globalThis.AudioContext;
    if (!Ctx) return;
    this.#context ??= new Ctx();
    const ctx = this.#context;
    if (ctx.state === 'suspended') void ctx.resume();
    const start = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = start + i * 0.22;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.21);
    }
  }

  close(): void {
    void this.#context?.close();
    this.#context = null;
  }
}
