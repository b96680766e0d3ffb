/** Every error code Vigie answers with, its HTTP status and what it means. Documented in README.md. */
export const ERRORS = {
  VIGIE_BAD_JSON: { status: 400, message: 'the body is not valid JSON' },
  VIGIE_BAD_CONTENT_TYPE: { status: 415, message: 'the body must be application/json' }, // the default; a route taking others names them
  VIGIE_BAD_ENCODING: { status: 400, message: 'the body is not in the Content-Encoding it declares (gzip, deflate, br), or is truncated' },
  VIGIE_VALIDATION: { status: 400, message: 'the request does not match the expected shape' },
  VIGIE_EVENT_INVALID: { status: 400, message: 'no event in the request was valid' },
  VIGIE_EVENT_CONFLICT: { status: 409, message: 'an event with this source and id exists with a different body' },
  VIGIE_BATCH_TOO_LARGE: { status: 413, message: 'the request is larger than this route takes: a batch holds at most 1000 events, and each route has its body limit (details.limitBytes)' },
  VIGIE_AUTH_REQUIRED: { status: 401, message: 'sign in or give a token' },
  VIGIE_AUTH_INVALID: { status: 401, message: 'wrong username or password' },
  VIGIE_TOKEN_INVALID: { status: 401, message: 'the feed token is missing or wrong' },
  VIGIE_TOKEN_FORBIDDEN: { status: 403, message: 'this feed token may not send for this source' },
  VIGIE_DISPLAY_TOKEN_INVALID: { status: 401, message: 'the display token is missing or wrong' },
  VIGIE_ICS_INVALID: { status: 400, message: 'the iCalendar file could not be read' },
  VIGIE_FORBIDDEN: { status: 403, message: 'your role does not allow this' },
  VIGIE_CSRF: { status: 403, message: 'missing or wrong X-CSRF-Token header' },
  VIGIE_NOT_FOUND: { status: 404, message: 'no such resource' },
  VIGIE_METHOD_NOT_ALLOWED: { status: 405, message: 'the path exists but does not take this method (the Allow header lists those it takes)' },
  VIGIE_ALERT_VERSION_CONFLICT: { status: 409, message: 'the alert changed since the version you sent' },
  VIGIE_CALENDAR_CONFLICT: { status: 409, message: 'the major event changed since the version you loaded (If-Match)' },
  VIGIE_ALERT_TRANSITION: { status: 409, message: 'this action is not possible in the alert\'s current status' },
  VIGIE_ALERT_KEY_ACTIVE: { status: 409, message: 'another alert of the same rule and key is active: it cannot be reopened beside it' },
  VIGIE_RULE_INVALID: { status: 400, message: 'the rule has errors' },
  VIGIE_RULE_EXISTS: { status: 409, message: 'a rule with this id exists: publish a new version of it instead' },
  VIGIE_RULE_UNCHANGED: { status: 409, message: 'the rule is the same as the version in force' },
  VIGIE_RULE_CONFLICT: { status: 409, message: 'another version of the rule was published since the one you started from (baseVersion)' },
  VIGIE_ACCOUNT_EXISTS: { status: 409, message: 'an account with this username exists' },
  VIGIE_TOKEN_NAME_TAKEN: { status: 409, message: 'a display token has this name: a wall screen is set up by its name' },
  VIGIE_LAST_ADMIN: { status: 409, message: 'this would leave no enabled administrator' },
  VIGIE_BACKTEST_BUSY: { status: 429, message: 'too many backtests are running on this server: try again shortly' },
  VIGIE_RATE_LIMITED: { status: 429, message: 'too many requests: slow down' },
  VIGIE_UNAVAILABLE: { status: 503, message: 'a dependency is unavailable' },
  // feeds (issue 4)
  VIGIE_FEED_MALFORMED: { status: 400, message: 'the payload cannot be read in this format (malformed or truncated); it is kept as a dead letter' },
  VIGIE_INTERNAL: { status: 500, message: 'unexpected error; it has been logged' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error the HTTP layer turns into `{error: {code, message, details}}` with the code's status. */
export class VigieError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message?: string, readonly details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

/**
 * `{error: {code, message, details}}`, `details` always there (`{}` when there is nothing to
 * add): a client reads `error.details.x` without first asking whether details exist.
 */
export const errorBody = (code: ErrorCode, message?: string, details?: unknown) => ({
  error: { code, message: message ?? ERRORS[code].message, details: details === undefined ? {} : details },
});
