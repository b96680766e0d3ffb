import { ApiError, NETWORK_ERROR, type Http } from '../api/http.ts';
import type { BacktestProgress, BacktestResult } from './types.ts';

export type BacktestLine =
  | ({ type: 'progress' } & BacktestProgress)
  | { type: 'result'; result: BacktestResult }
  | { type: 'error'; message: string };

/** Splits a growing NDJSON text into complete lines; returns them and the unfinished rest. */
export function splitLines(buffer: string): { lines: BacktestLine[]; rest: string } {
  const parts = buffer.split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.filter((l) => l.trim()).map((l) => JSON.parse(l) as BacktestLine), rest };
}

export type BacktestRequest = { yaml: string; from: string; to: string };

/**
 * Runs a backtest on the server as a stream: `onProgress` hears while it runs, the promise
 * gives the result. Aborting `signal` closes the connection, which cancels the run.
 */
export async function streamBacktest(http: Http, body: BacktestRequest, onProgress: (p: BacktestProgress) => void, signal: AbortSignal): Promise<BacktestResult> {
  let res: Response;
  try {
    res = await fetch('/api/v1/rules/backtest?stream=1', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson', ...(http.csrfToken ? { 'X-CSRF-Token': http.csrfToken } : {}) },
      body: JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    throw new ApiError(0, NETWORK_ERROR, cause instanceof Error ? cause.message : String(cause));
  }
  if (!res.ok || !res.body) {
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
    throw new ApiError(res.status, payload?.error?.code ?? `HTTP_${res.status}`, payload?.error?.message ?? res.statusText, payload?.error?.details);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    const { lines, rest } = splitLines(done ? `${buffer}\n` : buffer);
    buffer = rest;
    for (const line of lines) {
      if (line.type === 'progress') onProgress(line);
      else if (line.type === 'result') return line.result;
      else throw new ApiError(500, 'VIGIE_INTERNAL', line.message);
    }
    if (done) throw new ApiError(0, NETWORK_ERROR, 'the backtest stream ended without a result');
  }
}
