// The console runs under a Content-Security-Policy without 'unsafe-eval' (see the server's
// http/content-security.ts): zod must neither compile validators with `new Function` nor
// probe whether it may, which the browser would report as a violation.
import { z } from 'zod';

z.config({ jitless: true });
