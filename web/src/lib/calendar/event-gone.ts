import { ApiError } from '../api/http.ts';

/** Whether a failed call on an event says it no longer exists (deleted since the page opened it). */
export const isEventGone = (error: unknown): boolean => error instanceof ApiError && error.code === 'VIGIE_NOT_FOUND';
