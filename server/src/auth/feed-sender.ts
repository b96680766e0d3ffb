import type { Sender } from '../ingest/pipeline.ts';
import { findFeedToken } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { tokenUsed } from './token-use.ts';
import { hashToken } from './tokens.ts';

/**
 * The sender a feed token is (its name, the sources it may write), or undefined for a token
 * that is not one; a token found is noted as used. The one reading of a feed token: HTTP
 * (`requireSender`), Open311's `api_key` and the in-process MQTT broker's password alike.
 */
export async function feedSender(db: SqlClient, token: string): Promise<Sender | undefined> {
  const tokenHash = hashToken(token);
  const sender = await findFeedToken(db, tokenHash);
  if (sender) tokenUsed(db, 'feed_tokens', tokenHash);
  return sender;
}
