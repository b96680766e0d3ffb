import { NO_PEOPLE, peopleFrom, type People } from '../alerts/people.ts';
import { listPeople } from '../api/accounts.ts';
import { http } from '../api/http.ts';

/** The least time between two readings (an answer that failed, a name not known yet). */
const RETRY_MS = 60_000;

/**
 * Every account's display name (`GET /api/v1/people`), for the usernames alerts, comments and
 * rule versions carry: read once, when first needed, and again (at most every minute) when a
 * username it does not know is shown (an account made since). Until read, or when it cannot be,
 * `names` is empty and the views say the username.
 */
class PeopleDirectory {
  names = $state.raw<People>(NO_PEOPLE);
  #asked = -Infinity;
  #reading = false;

  /** Reads the names unless a reading holds `username` (any, without one) or one is under way or recent. */
  want(username?: string, now = Date.now()): void {
    const known = this.#asked > -Infinity && (username === undefined || this.names.has(username));
    if (known || this.#reading || now - this.#asked < RETRY_MS) return;
    this.#asked = now;
    this.#reading = true;
    listPeople(http)
      .then((list) => (this.names = peopleFrom(list)))
      .catch(() => {})
      .finally(() => (this.#reading = false));
  }
}

export const peopleDirectory = new PeopleDirectory();
