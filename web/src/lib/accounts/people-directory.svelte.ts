import { NO_PEOPLE, peopleFrom, type People } from '../alerts/people.ts';
import { listPeople } from '../api/accounts.ts';
import { http } from '../api/http.ts';

/** The least time between two readings, when one failed. */
const RETRY_MS = 60_000;

/**
 * Every account's display name (`GET /api/v1/people`), for the usernames alerts, comments and
 * rule versions carry: read once, when first needed (again at most every minute while the reading
 * fails). Until read, `names` is empty and the views say the username; an account made since
 * reads as its username until the page is opened again.
 */
class PeopleDirectory {
  names = $state.raw<People>(NO_PEOPLE);
  #read = false;
  #asked = -Infinity;
  #reading = false;

  /** Reads the names, unless they were read, are being read, or failed within the minute. */
  want(now = Date.now()): void {
    if (this.#read || this.#reading || now - this.#asked < RETRY_MS) return;
    this.#asked = now;
    this.#reading = true;
    listPeople(http)
      .then((list) => {
        this.names = peopleFrom(list);
        this.#read = true;
      })
      .catch(() => {})
      .finally(() => (this.#reading = false));
  }
}

export const peopleDirectory = new PeopleDirectory();
